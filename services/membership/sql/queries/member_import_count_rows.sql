-- What the import does with the staged rows.
SELECT count(*) FILTER (WHERE member_id IS NULL) AS created,
       count(*) FILTER (WHERE member_id IS NOT NULL AND changed_fields <> '') AS updated,
       count(*) FILTER (WHERE member_id IS NOT NULL AND changed_fields = '') AS unchanged
FROM member_import_rows
