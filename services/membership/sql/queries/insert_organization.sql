-- $1 code, $2 kind, $3 parent code ('' for none), $4 display name, $5 demo data, $6 request id ('' for none)
INSERT INTO organizations (code, kind, parent_code, display_name, demo_data, request_id)
VALUES ($1, $2, NULLIF($3, ''), $4, $5, NULLIF($6, ''))
RETURNING code, kind, COALESCE(parent_code, '') AS parent_code, display_name, demo_data,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
