-- Commitments for year $3 of members whose branch code lies in $1..$2 (only
-- user $4's record unless $4 is ''), by branch, member name, member id,
-- creation time and id, after ($5 branch, $6 name, $7 member id, $8 creation
-- time in µs since the epoch, $9 commitment id) unless $5 is '', at most $10 rows.
SELECT c.commitment_id::text AS commitment_id, c.member_id::text AS member_id, c.year, c.target, c.measures,
       COALESCE(to_char(c.due_date, 'YYYY-MM-DD'), '') AS due_date, c.status, c.evidence,
       COALESCE(to_char(c.signed_date, 'YYYY-MM-DD'), '') AS signed_date,
       (extract(epoch FROM c.create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM c.update_time) * 1000000)::bigint AS update_time_us,
       m.branch_code, m.full_name
FROM members m
JOIN commitments c ON c.member_id = m.member_id AND c.year = $3
WHERE m.branch_code BETWEEN $1 AND $2
  AND ($4 = '' OR m.user_ref = $4)
  AND ($5 = '' OR (m.branch_code, m.full_name, m.member_id, c.create_time, c.commitment_id) >
                    ($5, $6, NULLIF($7, '')::uuid,
                     timestamptz 'epoch' + NULLIF($8, '')::bigint * interval '1 microsecond',
                     NULLIF($9, '')::uuid))
ORDER BY m.branch_code, m.full_name, m.member_id, c.create_time, c.commitment_id
LIMIT $10
