-- $1 code, $2 new display name
UPDATE organizations
SET display_name = $2, update_time = now()
WHERE code = $1
RETURNING code, kind, COALESCE(parent_code, '') AS parent_code, display_name, demo_data,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
