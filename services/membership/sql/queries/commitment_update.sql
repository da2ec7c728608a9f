-- $1 commitment id; the new $2 target, $3 measures, $4 due date ('' for none),
-- $5 status, $6 evidence (text[]), $7 signed date ('' for none)
UPDATE commitments AS c
SET target = $2, measures = $3, due_date = NULLIF($4, '')::date, status = $5, evidence = $6::text[],
    signed_date = NULLIF($7, '')::date, update_time = now()
WHERE c.commitment_id = $1::uuid
RETURNING c.commitment_id::text AS commitment_id, c.member_id::text AS member_id, c.year, c.target, c.measures,
       COALESCE(to_char(c.due_date, 'YYYY-MM-DD'), '') AS due_date, c.status, c.evidence,
       COALESCE(to_char(c.signed_date, 'YYYY-MM-DD'), '') AS signed_date,
       (extract(epoch FROM c.create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM c.update_time) * 1000000)::bigint AS update_time_us
