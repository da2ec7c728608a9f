-- $1 user id: revokes every active refresh token of the user
UPDATE refresh_tokens
SET revoked_at = now()
WHERE user_id = $1::uuid AND revoked_at IS NULL
RETURNING id
