-- $1 town code
SELECT min_activities_per_month
FROM activity_policies
WHERE town_code = $1
