-- $1 town code, $2 area code, $3 display name, $4 retired, $5 position in the list
INSERT INTO duty_areas (town_code, code, display_name, retired, position)
VALUES ($1, $2, $3, $4, $5)
