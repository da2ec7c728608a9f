-- Areas used in the duties of members whose branch code lies in $1..$2 (a
-- town) that the new list $3 (text[] of codes) no longer has, with the number
-- of members using each.
SELECT area_code, count(DISTINCT d.member_id)::int AS members
FROM member_duties d
JOIN members m ON m.member_id = d.member_id
CROSS JOIN LATERAL unnest(d.area_codes) AS area_code
WHERE m.branch_code BETWEEN $1 AND $2
  AND NOT (area_code = ANY ($3::text[]))
GROUP BY area_code
ORDER BY area_code
