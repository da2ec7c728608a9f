-- Bindings of the users $1 (a uuid[] literal)
SELECT user_id::text AS user_id, role, org_scope
FROM role_bindings
WHERE user_id = ANY ($1::uuid[])
ORDER BY user_id, role, org_scope
