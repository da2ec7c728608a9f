-- Exchanges token $1 (SHA-256 hex) for token $2 expiring at $3 (unix
-- microseconds), in one statement; no row when $1 was already revoked (the
-- row lock makes a concurrent second exchange of $1 find it revoked).
WITH old AS (
  SELECT id, user_id FROM refresh_tokens
  WHERE token_sha256 = $1 AND revoked_at IS NULL
  FOR UPDATE
), successor AS (
  INSERT INTO refresh_tokens (user_id, token_sha256, expire_time)
  SELECT user_id, $2, timestamptz 'epoch' + $3 * interval '1 microsecond' FROM old
  RETURNING id
)
UPDATE refresh_tokens
SET revoked_at = now(), replaced_by = successor.id
FROM old, successor
WHERE refresh_tokens.id = old.id
RETURNING successor.id
