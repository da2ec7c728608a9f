-- $1 member id: the member fields duties, commitments and the attachment-1
-- form need (never the sealed national id).
SELECT member_id::text AS member_id, full_name, gender, to_char(birth_month, 'YYYY-MM-DD') AS birth_month,
       to_char(joined_date, 'YYYY-MM-DD') AS joined_date, joined_month_only, phone, branch_code, grid,
       user_ref, status
FROM members
WHERE member_id = $1::uuid
