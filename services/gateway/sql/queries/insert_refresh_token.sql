-- $1 user id, $2 SHA-256 (hex) of the token, $3 expiry (unix microseconds)
INSERT INTO refresh_tokens (user_id, token_sha256, expire_time)
VALUES ($1::uuid, $2, timestamptz 'epoch' + $3 * interval '1 microsecond')
