-- $1 full name, $2 gender, $3 birth month (YYYY-MM), $4 joined date (YYYY-MM-DD), $5 joined month only,
-- $6 phone, $7 branch code, $8 grid, $9 household, $10 courtyard, $11 is group head, $12 publicity consent,
-- $13 notes, $14 sealed national id as hex ('' none), $15 national id last 4, $16 person key, $17 user,
-- $18 demo data, $19 request id ('' none)
INSERT INTO members (full_name, gender, birth_month, joined_date, joined_month_only, phone, branch_code, grid,
                     household, courtyard, is_group_head, publicity_consent, notes, national_id_sealed,
                     national_id_last4, person_key, user_ref, demo_data, request_id)
VALUES ($1, $2, to_date($3, 'YYYY-MM'), $4::date, $5, $6, $7, $8, $9, $10, $11, $12, $13,
        decode(NULLIF($14, ''), 'hex'), $15, $16, $17, $18, NULLIF($19, ''))
RETURNING member_id::text AS member_id, full_name, gender, to_char(birth_month, 'YYYY-MM') AS birth_month,
       to_char(joined_date, 'YYYY-MM-DD') AS joined_date, joined_month_only, phone, branch_code, grid, household,
       courtyard, is_group_head, publicity_consent, notes, national_id_last4, user_ref, status,
       COALESCE(end_reason, '') AS end_reason, end_note, COALESCE(to_char(end_date, 'YYYY-MM-DD'), '') AS end_date,
       demo_data, (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
