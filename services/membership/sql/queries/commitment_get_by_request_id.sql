-- $1 request_id of the create call
SELECT c.commitment_id::text AS commitment_id, c.member_id::text AS member_id, c.year, c.target, c.measures,
       COALESCE(to_char(c.due_date, 'YYYY-MM-DD'), '') AS due_date, c.status, c.evidence,
       COALESCE(to_char(c.signed_date, 'YYYY-MM-DD'), '') AS signed_date,
       (extract(epoch FROM c.create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM c.update_time) * 1000000)::bigint AS update_time_us
FROM commitments c
WHERE c.request_id = $1
