-- $1 user id, $2 role, $3 org scope; an existing binding stays as it is
INSERT INTO role_bindings (user_id, role, org_scope)
VALUES ($1::uuid, $2, $3)
ON CONFLICT DO NOTHING
