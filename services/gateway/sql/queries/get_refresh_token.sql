-- $1 SHA-256 (hex) of the token
SELECT id, user_id::text AS user_id,
       (extract(epoch FROM expire_time) * 1000000)::bigint AS expire_time_us,
       revoked_at IS NOT NULL AS revoked,
       replaced_by IS NOT NULL AS replaced
FROM refresh_tokens
WHERE token_sha256 = $1
