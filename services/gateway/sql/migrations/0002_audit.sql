-- The audit log: every write and every read of personal data, append-only
-- and hash-chained (gateway/audit_chain.h documents what `hash` covers).
-- Two entries per audited call: STARTED before it is forwarded, FINISHED
-- with its gRPC result code.
CREATE TABLE audit_entries (
  sequence bigint PRIMARY KEY CHECK (sequence > 0),
  time timestamptz NOT NULL,
  kind text NOT NULL CHECK (kind IN ('WRITE', 'PERSONAL_DATA_READ', 'LOGIN')),
  phase text NOT NULL CHECK (phase IN ('STARTED', 'FINISHED')),
  subject text NOT NULL,
  roles text NOT NULL,
  method text NOT NULL,
  resource text NOT NULL,
  result_code text NOT NULL,
  request_id text NOT NULL,
  client_address text NOT NULL,
  previous_hash text NOT NULL CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT audit_entries_result_code_when_finished CHECK ((phase = 'STARTED') = (result_code = ''))
);

CREATE INDEX audit_entries_subject_idx ON audit_entries (subject, sequence);
CREATE INDEX audit_entries_method_idx ON audit_entries (method, sequence);
CREATE INDEX audit_entries_time_idx ON audit_entries (time);

-- The end of the chain, one row. Appends lock it (SELECT ... FOR UPDATE), so
-- appends from every gateway replica are serialized and the chain cannot fork.
CREATE TABLE audit_chain_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_sequence bigint NOT NULL,
  last_hash text NOT NULL
);
INSERT INTO audit_chain_head (last_sequence, last_hash) VALUES (0, repeat('0', 64));

-- Append-only: no UPDATE, DELETE or TRUNCATE, whoever asks. A superuser can
-- still disable the trigger; the hash chain then shows what was changed.
CREATE FUNCTION audit_entries_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only: % is not allowed', TG_OP
    USING HINT = 'audit entries are never changed or removed; append a new entry instead';
END;
$$;

CREATE TRIGGER audit_entries_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_reject_change();

-- The head only moves forward, one entry at a time.
CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW.last_sequence <> OLD.last_sequence + 1 THEN
    RAISE EXCEPTION 'audit_chain_head only advances by one entry per append (% refused)', TG_OP;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_chain_head_forward_only
  BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_head
  FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only();

CREATE TRIGGER audit_chain_head_no_truncate
  BEFORE TRUNCATE ON audit_chain_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_reject_change();
