-- Active members whose branch code lies in $1..$2 (only user $4's record
-- unless $4 is '') without duties or without any commitment for year $3, by
-- branch, name and member id, after ($5, $6, $7) unless $5 is '', at most $8
-- rows. The members' (branch_code, full_name, member_id) index gives the
-- order; each member costs two primary-key probes.
SELECT member_id, full_name, branch_code, branch_name, missing_duties, missing_commitments
FROM (
  SELECT m.member_id::text AS member_id, m.full_name, m.branch_code, o.display_name AS branch_name,
         m.member_id AS member_uuid,
         NOT EXISTS (SELECT 1 FROM member_duties d WHERE d.member_id = m.member_id AND d.year = $3) AS missing_duties,
         NOT EXISTS (SELECT 1 FROM commitments c WHERE c.member_id = m.member_id AND c.year = $3) AS missing_commitments
  FROM members m
  JOIN organizations o ON o.code = m.branch_code
  WHERE m.status = 'ACTIVE'
    AND m.branch_code BETWEEN $1 AND $2
    AND ($4 = '' OR m.user_ref = $4)
    AND ($5 = '' OR (m.branch_code, m.full_name, m.member_id) > ($5, $6, NULLIF($7, '')::uuid))
) AS candidates
WHERE missing_duties OR missing_commitments
ORDER BY branch_code, full_name, member_uuid
LIMIT $8
