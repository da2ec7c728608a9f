-- $1 member id, $2 kind, $3 from branch, $4 to branch, $5 effective date (YYYY-MM-DD), $6 detail, $7 actor,
-- $8 request id ('' none)
INSERT INTO member_events (member_id, kind, from_branch_code, to_branch_code, effective_date, detail, actor, request_id)
VALUES ($1::uuid, $2, $3, $4, $5::date, $6, $7, NULLIF($8, ''))
