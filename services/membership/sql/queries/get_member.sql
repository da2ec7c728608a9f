-- $1 member id. Every member query returns the same columns (PgMemberStore's FromRow).
SELECT member_id::text AS member_id, full_name, gender, to_char(birth_month, 'YYYY-MM') AS birth_month,
       to_char(joined_date, 'YYYY-MM-DD') AS joined_date, joined_month_only, phone, branch_code, grid, household,
       courtyard, is_group_head, publicity_consent, notes, national_id_last4, user_ref, status,
       COALESCE(end_reason, '') AS end_reason, end_note, COALESCE(to_char(end_date, 'YYYY-MM-DD'), '') AS end_date,
       demo_data, (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
FROM members
WHERE member_id = $1::uuid
