-- $1 login name: the user and its password hash
SELECT id::text AS id, login_name, display_name, phone, status, org_code, failed_login_count,
       COALESCE((extract(epoch FROM lock_expire_time) * 1000000)::bigint, 0) AS lock_expire_time_us,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us, password_hash
FROM users
WHERE login_name = $1
