-- Children of $1 ('' for the top level) whose code starts with one of the
-- prefixes $2 (text[]), after code $3 ('' for the first page), at most $4 rows.
SELECT code, kind, COALESCE(parent_code, '') AS parent_code, display_name, demo_data,
       (extract(epoch FROM create_time) * 1000000)::bigint AS create_time_us,
       (extract(epoch FROM update_time) * 1000000)::bigint AS update_time_us
FROM organizations
WHERE parent_code IS NOT DISTINCT FROM NULLIF($1, '')
  AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS prefix WHERE starts_with(code, prefix))
  AND code > $3
ORDER BY code
LIMIT $4
