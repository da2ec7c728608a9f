-- $1 request_id of the create call
SELECT id::text AS id, login_name, display_name, phone, status, org_code, failed_login_count,
       COALESCE((extract(epoch FROM lock_expire_time) * 1000000)::bigint, 0) AS lock_expire_time_us,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
FROM users
WHERE request_id = $1
