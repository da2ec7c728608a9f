-- $1 town code. No row: no such town. One row with a NULL code: the town
-- configured no areas and uses the standard list.
SELECT a.code, a.display_name, a.retired
FROM organizations o
LEFT JOIN duty_areas a ON a.town_code = o.code
WHERE o.code = $1 AND o.kind = 'TOWN'
ORDER BY a.position
