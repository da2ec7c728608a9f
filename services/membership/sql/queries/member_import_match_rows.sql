-- Each staged row against the active record of the same person in the same
-- branch: its id, and the names of the fields the row changes ('' = unchanged).
-- National ids are not compared: equal person keys already mean the same id.
UPDATE member_import_rows AS r
SET member_id = m.member_id,
    changed_fields = array_to_string(ARRAY[
      CASE WHEN m.full_name <> r.full_name THEN 'full_name' END,
      CASE WHEN m.gender <> r.gender THEN 'gender' END,
      CASE WHEN m.birth_month <> r.birth_month THEN 'birth_month' END,
      CASE WHEN m.joined_date <> r.joined_date OR m.joined_month_only <> r.joined_month_only THEN 'joined_date' END,
      CASE WHEN m.phone <> r.phone THEN 'phone' END,
      CASE WHEN m.grid <> r.grid THEN 'grid' END,
      CASE WHEN m.is_group_head <> r.is_group_head THEN 'is_group_head' END,
      CASE WHEN m.publicity_consent <> r.publicity_consent THEN 'publicity_consent' END,
      CASE WHEN m.notes <> r.notes THEN 'notes' END], ',')
FROM members AS m
WHERE m.status = 'ACTIVE' AND m.branch_code = r.branch_code AND m.person_key = r.person_key
