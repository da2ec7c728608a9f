-- What stands in the way of creating $1 (code) under $2 (parent code, '' for
-- none) named $3: the same code, or a sibling with the same name.
SELECT code, display_name, code = $1 AS same_code
FROM organizations
WHERE code = $1
   OR (parent_code IS NOT DISTINCT FROM NULLIF($2, '') AND display_name = $3)
ORDER BY same_code DESC
LIMIT 1
