-- Villages and communities whose code starts with the significant prefix $1.
SELECT code, display_name
FROM organizations
WHERE starts_with(code, $1) AND kind IN ('VILLAGE', 'COMMUNITY')
ORDER BY code
