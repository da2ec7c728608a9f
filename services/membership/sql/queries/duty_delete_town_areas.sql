-- $1 town code
DELETE FROM duty_areas
WHERE town_code = $1
