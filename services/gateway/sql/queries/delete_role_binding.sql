-- $1 user id, $2 role, $3 org scope
DELETE FROM role_bindings
WHERE user_id = $1::uuid AND role = $2 AND org_scope = $3
RETURNING role
