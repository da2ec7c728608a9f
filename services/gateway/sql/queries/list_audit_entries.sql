-- Newest first. $1 subject, $2 method, $3 resource prefix ('' = any), $4 start and $5 end time
-- (Unix microseconds, start inclusive, end exclusive), $6 only entries before this sequence, $7 limit,
-- $8 the reader's scope prefixes ('{}' = the whole log): the resource or a caller binding lies under one
SELECT sequence, (extract(epoch FROM time) * 1000000)::bigint AS time_us, kind, phase, subject, roles, method,
       resource, result_code, request_id, client_address, previous_hash, hash
FROM audit_entries
WHERE ($1 = '' OR subject = $1)
  AND ($2 = '' OR method = $2)
  AND starts_with(resource, $3)
  AND time >= timestamptz 'epoch' + $4::bigint * interval '1 microsecond'
  AND time < timestamptz 'epoch' + $5::bigint * interval '1 microsecond'
  AND sequence < $6
  AND (cardinality($8::text[]) = 0
       OR EXISTS (SELECT 1 FROM unnest($8::text[]) AS prefix
                  WHERE starts_with(resource, prefix) OR strpos(roles, '@' || prefix) > 0))
ORDER BY sequence DESC
LIMIT $7
