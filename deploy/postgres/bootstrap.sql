-- Creates each GridServe service's role and schema. Idempotent; run as a superuser.
DO $$
DECLARE
  service text;
BEGIN
  FOREACH service IN ARRAY ARRAY['membership', 'grid_assignment', 'activity_tracking', 'evaluation', 'gateway'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = service) THEN
      EXECUTE format('CREATE ROLE %I LOGIN', service);
    END IF;
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service, service);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', service);
  END LOOP;
END
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
