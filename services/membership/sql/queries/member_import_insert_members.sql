-- The staged rows without a record become members, each with an IMPORTED event.
-- $1 effective date, $2 event detail, $3 actor.
WITH created AS (
  INSERT INTO members (full_name, gender, birth_month, joined_date, joined_month_only, phone, branch_code, grid,
                       is_group_head, publicity_consent, notes, national_id_sealed, national_id_last4, person_key)
  SELECT full_name, gender, birth_month, joined_date, joined_month_only, phone, branch_code, grid,
         is_group_head, publicity_consent, notes, decode(NULLIF(national_id_sealed_hex, ''), 'hex'),
         national_id_last4, person_key
  FROM member_import_rows
  WHERE member_id IS NULL
  ORDER BY row_number
  RETURNING member_id, branch_code)
INSERT INTO member_events (member_id, kind, from_branch_code, to_branch_code, effective_date, detail, actor)
SELECT member_id, 'IMPORTED', branch_code, branch_code, $1::date, $2, $3
FROM created
