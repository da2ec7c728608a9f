-- $1 request_id of the create call
SELECT code, kind, COALESCE(parent_code, '') AS parent_code, display_name, demo_data,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
FROM organizations
WHERE request_id = $1
