SELECT org_code, file_sha256, report
FROM member_imports
WHERE request_id = $1
