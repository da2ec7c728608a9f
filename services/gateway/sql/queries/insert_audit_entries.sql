-- $1: a JSON array of entries, each {sequence, time_us (Unix microseconds), kind, phase, subject,
-- roles, method, resource, result_code, request_id, client_address, previous_hash, hash}: one batch
-- appended in one statement.
INSERT INTO audit_entries (sequence, time, kind, phase, subject, roles, method, resource, result_code,
                           request_id, client_address, previous_hash, hash)
SELECT e.sequence, timestamptz 'epoch' + e.time_us * interval '1 microsecond', e.kind, e.phase, e.subject, e.roles,
       e.method, e.resource, e.result_code, e.request_id, e.client_address, e.previous_hash, e.hash
FROM jsonb_to_recordset($1::jsonb) AS e(sequence bigint, time_us bigint, kind text, phase text, subject text,
                                         roles text, method text, resource text, result_code text, request_id text,
                                         client_address text, previous_hash text, hash text)
ORDER BY e.sequence
