-- Duties for year $3 of members whose branch code lies in $1..$2 (only user
-- $4's record unless $4 is ''), ordered by branch, name and member id, after
-- ($5, $6, $7) unless $5 is '', at most $8 rows.
SELECT d.member_id::text AS member_id, d.year, d.area_codes, d.free_text,
       (extract(epoch FROM d.update_time) * 1000000)::bigint AS update_time_us,
       m.full_name, m.branch_code
FROM members m
JOIN member_duties d ON d.member_id = m.member_id AND d.year = $3
WHERE m.branch_code BETWEEN $1 AND $2
  AND ($4 = '' OR m.user_ref = $4)
  AND ($5 = '' OR (m.branch_code, m.full_name, m.member_id) > ($5, $6, NULLIF($7, '')::uuid))
ORDER BY m.branch_code, m.full_name, m.member_id
LIMIT $8
