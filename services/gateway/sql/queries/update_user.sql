-- $1 user id; $2 display name ('' keeps it); $3 whether to set the phone to $4;
-- $5 status ('' keeps it). Setting ACTIVE also lifts a lock and clears the failure count.
UPDATE users
SET display_name = COALESCE(NULLIF($2, ''), display_name),
    phone = CASE WHEN $3 THEN $4 ELSE phone END,
    status = COALESCE(NULLIF($5, ''), status),
    failed_login_count = CASE WHEN $5 = 'ACTIVE' THEN 0 ELSE failed_login_count END,
    lock_expire_time = CASE WHEN COALESCE(NULLIF($5, ''), status) = 'LOCKED' THEN lock_expire_time END,
    update_time = now()
WHERE id = $1::uuid
RETURNING id::text AS id, login_name, display_name, phone, status, org_code, failed_login_count,
       COALESCE((extract(epoch FROM lock_expire_time) * 1000000)::bigint, 0) AS lock_expire_time_us,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
