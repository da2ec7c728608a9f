-- The staged rows that change their record update it, each with an IMPORTED
-- event naming the changed fields. $1 effective date, $2 event detail prefix, $3 actor.
WITH changed AS (
  UPDATE members AS m
  SET full_name = r.full_name, gender = r.gender, birth_month = r.birth_month, joined_date = r.joined_date,
      joined_month_only = r.joined_month_only, phone = r.phone, grid = r.grid, is_group_head = r.is_group_head,
      publicity_consent = r.publicity_consent, notes = r.notes, update_time = now()
  FROM member_import_rows AS r
  WHERE m.member_id = r.member_id AND r.changed_fields <> ''
  RETURNING m.member_id, m.branch_code, r.changed_fields)
INSERT INTO member_events (member_id, kind, from_branch_code, to_branch_code, effective_date, detail, actor)
SELECT member_id, 'IMPORTED', branch_code, branch_code, $1::date, $2 || changed_fields, $3
FROM changed
