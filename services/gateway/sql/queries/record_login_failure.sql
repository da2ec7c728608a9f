-- One failed login of $1: the $2-th failure in a row locks the account until
-- $3 (unix microseconds) and starts the count again. An expired lock counts as
-- ACTIVE; a disabled account or a lock in force ($4, now in unix microseconds)
-- is left alone (no row returned).
UPDATE users
SET failed_login_count = CASE WHEN failed_login_count + 1 >= $2 THEN 0 ELSE failed_login_count + 1 END,
    status = CASE WHEN failed_login_count + 1 >= $2 THEN 'LOCKED' ELSE 'ACTIVE' END,
    lock_expire_time = CASE WHEN failed_login_count + 1 >= $2
                            THEN timestamptz 'epoch' + $3 * interval '1 microsecond' END,
    update_time = now()
WHERE id = $1::uuid
  AND status <> 'DISABLED'
  AND (status <> 'LOCKED' OR lock_expire_time <= timestamptz 'epoch' + $4 * interval '1 microsecond')
RETURNING id::text AS id, login_name, display_name, phone, status, org_code, failed_login_count,
       COALESCE((extract(epoch FROM lock_expire_time) * 1000000)::bigint, 0) AS lock_expire_time_us,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
