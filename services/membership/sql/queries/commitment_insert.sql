-- $1 member id, $2 year, $3 target, $4 measures, $5 due date ('' for none),
-- $6 evidence (text[]), $7 signed date ('' for none), $8 request id ('' for none)
INSERT INTO commitments AS c (member_id, year, target, measures, due_date, evidence, signed_date, request_id)
VALUES ($1::uuid, $2, $3, $4, NULLIF($5, '')::date, $6::text[], NULLIF($7, '')::date, NULLIF($8, ''))
RETURNING c.commitment_id::text AS commitment_id, c.member_id::text AS member_id, c.year, c.target, c.measures,
       COALESCE(to_char(c.due_date, 'YYYY-MM-DD'), '') AS due_date, c.status, c.evidence,
       COALESCE(to_char(c.signed_date, 'YYYY-MM-DD'), '') AS signed_date,
       (extract(epoch FROM c.create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM c.update_time) * 1000000)::bigint AS update_time_us
