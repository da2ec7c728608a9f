-- Members whose branch starts with $1 (significant prefix of an org code), with status $2, in grid $3
-- ('' any), full name starting with $4 ('' any), joined in year $5 (0 any), of user $6 ('' any); after
-- (branch_code, full_name, member_id) = ($7, $8, $9) ($7 = '' for the first page); at most $10 rows.
SELECT member_id::text AS member_id, full_name, gender, to_char(birth_month, 'YYYY-MM') AS birth_month,
       to_char(joined_date, 'YYYY-MM-DD') AS joined_date, joined_month_only, phone, branch_code, grid, household,
       courtyard, is_group_head, publicity_consent, notes, national_id_last4, user_ref, status,
       COALESCE(end_reason, '') AS end_reason, end_note, COALESCE(to_char(end_date, 'YYYY-MM-DD'), '') AS end_date,
       demo_data, (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
FROM members
WHERE starts_with(branch_code, $1)
  AND status = $2
  AND ($3 = '' OR grid = $3)
  AND starts_with(full_name, $4)
  AND ($5::int = 0 OR extract(year FROM joined_date)::int = $5::int)
  AND ($6 = '' OR user_ref = $6)
  AND ($7 = '' OR (branch_code, full_name, member_id) > ($7, $8, NULLIF($9, '')::uuid))
ORDER BY branch_code, full_name, member_id
LIMIT $10
