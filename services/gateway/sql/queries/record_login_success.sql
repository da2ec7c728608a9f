-- $1 user id, $2 now (unix microseconds): resets the failure count and lifts an expired lock
UPDATE users
SET failed_login_count = 0,
    status = CASE WHEN status = 'LOCKED' THEN 'ACTIVE' ELSE status END,
    lock_expire_time = NULL,
    last_login_time = timestamptz 'epoch' + $2 * interval '1 microsecond'
WHERE id = $1::uuid
  AND status <> 'DISABLED'
