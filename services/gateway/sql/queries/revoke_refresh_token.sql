-- $1 SHA-256 (hex) of the token, $2 the user it must belong to
UPDATE refresh_tokens
SET revoked_at = now()
WHERE token_sha256 = $1 AND user_id = $2::uuid AND revoked_at IS NULL
