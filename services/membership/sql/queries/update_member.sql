-- $1 member id; the changeable fields: $2 full name, $3 gender, $4 birth month (YYYY-MM), $5 joined date,
-- $6 joined month only, $7 phone, $8 grid, $9 household, $10 courtyard, $11 is group head,
-- $12 publicity consent, $13 notes, $14 user; when $15 is true also the identity: $16 person key,
-- $17 sealed national id as hex ('' none), $18 national id last 4.
UPDATE members
SET full_name = $2, gender = $3, birth_month = to_date($4, 'YYYY-MM'), joined_date = $5::date,
    joined_month_only = $6, phone = $7, grid = $8, household = $9, courtyard = $10, is_group_head = $11,
    publicity_consent = $12, notes = $13, user_ref = $14,
    person_key = CASE WHEN $15 THEN $16 ELSE person_key END,
    national_id_sealed = CASE WHEN $15 THEN decode(NULLIF($17, ''), 'hex') ELSE national_id_sealed END,
    national_id_last4 = CASE WHEN $15 THEN $18 ELSE national_id_last4 END,
    update_time = now()
WHERE member_id = $1::uuid
RETURNING member_id::text AS member_id, full_name, gender, to_char(birth_month, 'YYYY-MM') AS birth_month,
       to_char(joined_date, 'YYYY-MM-DD') AS joined_date, joined_month_only, phone, branch_code, grid, household,
       courtyard, is_group_head, publicity_consent, notes, national_id_last4, user_ref, status,
       COALESCE(end_reason, '') AS end_reason, end_note, COALESCE(to_char(end_date, 'YYYY-MM-DD'), '') AS end_date,
       demo_data, (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
