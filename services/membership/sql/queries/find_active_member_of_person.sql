-- The active record of person key $2 in branch $1, if any (one per person per branch).
SELECT member_id::text AS member_id
FROM members
WHERE branch_code = $1 AND person_key = $2 AND status = 'ACTIVE'
