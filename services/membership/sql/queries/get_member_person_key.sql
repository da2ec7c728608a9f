-- The person key of member $1 (which record belongs to which person; never returned to callers).
SELECT person_key FROM members WHERE member_id = $1::uuid
