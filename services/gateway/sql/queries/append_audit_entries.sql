-- Appends one batch if the chain head is still sequence $4 with hash $5: moves
-- the head to $2/$3 and inserts the entries of $1, a JSON array of
-- {sequence, time_us (Unix microseconds), kind, phase, subject, roles, method,
-- resource, result_code, request_id, client_address, previous_hash, hash}.
-- Inserts nothing when the head has moved (another gateway appended).
WITH advanced AS (
  UPDATE audit_chain_head SET last_sequence = $2, last_hash = $3
  WHERE last_sequence = $4 AND last_hash = $5
  RETURNING last_sequence
)
INSERT INTO audit_entries (sequence, time, kind, phase, subject, roles, method, resource, result_code,
                           request_id, client_address, previous_hash, hash)
SELECT e.sequence, timestamptz 'epoch' + e.time_us * interval '1 microsecond', e.kind, e.phase, e.subject, e.roles,
       e.method, e.resource, e.result_code, e.request_id, e.client_address, e.previous_hash, e.hash
FROM jsonb_to_recordset($1::jsonb) AS e(sequence bigint, time_us bigint, kind text, phase text, subject text,
                                         roles text, method text, resource text, result_code text, request_id text,
                                         client_address text, previous_hash text, hash text)
WHERE EXISTS (SELECT 1 FROM advanced)
ORDER BY e.sequence
