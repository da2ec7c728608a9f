-- Users whose org_code starts with $1, login name after $2 ('' for the first page), at most $3 rows
SELECT id::text AS id, login_name, display_name, phone, status, org_code, failed_login_count,
       COALESCE((extract(epoch FROM lock_expire_time) * 1000000)::bigint, 0) AS lock_expire_time_us,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
FROM users
WHERE starts_with(org_code, $1)
  AND login_name > $2
ORDER BY login_name
LIMIT $3
