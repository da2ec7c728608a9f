-- Every village and community whose code lies in $1..$2, after code $5 ('' for
-- the first page), at most $6 of them by code, with the counts of its member
-- records (only user $4's record unless $4 is '') for year $3. Branches
-- without members count zero. Only the page's branches are aggregated.
WITH branches AS (
  SELECT code, display_name
  FROM organizations
  WHERE kind IN ('VILLAGE', 'COMMUNITY') AND code BETWEEN $1 AND $2 AND code > $5
  ORDER BY code
  LIMIT $6
),
branch_members AS (
  SELECT m.branch_code, m.status = 'ACTIVE' AS active,
         EXISTS (SELECT 1 FROM member_duties d WHERE d.member_id = m.member_id AND d.year = $3) AS has_duties,
         EXISTS (SELECT 1 FROM commitments c WHERE c.member_id = m.member_id AND c.year = $3) AS has_commitments
  FROM members m
  JOIN branches b ON b.code = m.branch_code
  WHERE $4 = '' OR m.user_ref = $4
)
SELECT b.code AS branch_code, b.display_name AS branch_name,
       count(*) FILTER (WHERE p.active)::int AS active_members,
       count(*) FILTER (WHERE NOT p.active)::int AS ended_members,
       count(*) FILTER (WHERE p.active AND p.has_duties)::int AS with_duties,
       count(*) FILTER (WHERE p.active AND p.has_commitments)::int AS with_commitments,
       count(*) FILTER (WHERE p.active AND NOT (p.has_duties AND p.has_commitments))::int AS missing_pledges
FROM branches b
LEFT JOIN branch_members p ON p.branch_code = b.code
GROUP BY b.code, b.display_name
ORDER BY b.code
