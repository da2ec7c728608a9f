-- $1 user id, $2 new password hash
UPDATE users
SET password_hash = $2, update_time = now()
WHERE id = $1::uuid
RETURNING id
