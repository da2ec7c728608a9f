-- Children of $1 ('' for the top level) whose code starts with $2, after
-- code $3 ('' for the first page), at most $4 rows.
SELECT code, kind, COALESCE(parent_code, '') AS parent_code, display_name, demo_data,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
FROM organizations
WHERE parent_code IS NOT DISTINCT FROM NULLIF($1, '')
  AND starts_with(code, $2)
  AND code > $3
ORDER BY code
LIMIT $4
