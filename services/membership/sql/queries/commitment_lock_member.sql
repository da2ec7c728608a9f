-- $1 member id. Locks the member's row for the rest of the transaction so
-- that creates for the same member run one after the other (the 1-2 limit of
-- R3 is a count) and the member cannot end meanwhile. NO KEY UPDATE leaves
-- the foreign-key checks of other inserts unblocked.
SELECT member_id::text AS member_id, full_name, gender, to_char(birth_month, 'YYYY-MM-DD') AS birth_month,
       to_char(joined_date, 'YYYY-MM-DD') AS joined_date, joined_month_only, phone, branch_code, grid,
       user_ref, status
FROM members
WHERE member_id = $1::uuid
FOR NO KEY UPDATE
