-- $1 login name, $2 display name, $3 phone ('' for none), $4 password hash, $5 org code, $6 request id ('' for none)
INSERT INTO users (login_name, display_name, phone, password_hash, org_code, request_id)
VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''))
RETURNING id::text AS id, login_name, display_name, phone, status, org_code, failed_login_count,
       COALESCE((extract(epoch FROM lock_expire_time) * 1000000)::bigint, 0) AS lock_expire_time_us,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
