-- $1 sequence, $2 time (Unix microseconds), $3 kind, $4 phase, $5 subject, $6 roles, $7 method,
-- $8 resource, $9 result code, $10 request id, $11 client address, $12 previous hash, $13 hash
INSERT INTO audit_entries (sequence, time, kind, phase, subject, roles, method, resource, result_code,
                           request_id, client_address, previous_hash, hash)
VALUES ($1, timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3, $4, $5, $6, $7, $8, $9, $10, $11,
        $12, $13)
