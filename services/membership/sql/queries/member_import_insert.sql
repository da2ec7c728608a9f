-- $1 request_id ('' for none), $2 org_code, $3 file_name, $4 file_sha256, $5 actor,
-- $6 rows_total, $7 created, $8 updated, $9 unchanged, $10 report (bytea).
INSERT INTO member_imports (request_id, org_code, file_name, file_sha256, actor, rows_total, created, updated,
                            unchanged, report)
VALUES (NULLIF($1, ''), $2, $3, $4, $5, $6, $7, $8, $9, $10)
