-- $1 member id, $2 year
SELECT member_id::text AS member_id, year, area_codes, free_text,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
FROM member_duties
WHERE member_id = $1::uuid AND year = $2
