-- $1 town code
SELECT min_households_per_member, min_members_per_courtyard
FROM grid_policies
WHERE town_code = $1
