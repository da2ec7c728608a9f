-- One batch of the chain, oldest first: $1 < sequence <= $2, at most $3 entries.
SELECT sequence, (extract(epoch FROM time) * 1000000)::bigint AS time_us, kind, phase, subject, roles, method,
       resource, result_code, request_id, client_address, previous_hash, hash
FROM audit_entries
WHERE sequence > $1 AND sequence <= $2
ORDER BY sequence
LIMIT $3
