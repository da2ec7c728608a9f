-- Events of member $1 after event id $2, oldest first, at most $3.
SELECT event_id, kind, from_branch_code, to_branch_code, to_char(effective_date, 'YYYY-MM-DD') AS effective_date,
       detail, actor, (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us
FROM member_events
WHERE member_id = $1::uuid AND event_id > $2
ORDER BY event_id
LIMIT $3
