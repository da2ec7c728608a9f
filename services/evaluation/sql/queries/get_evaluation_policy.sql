-- $1 town code. rating_months comes as text, ascending and without repeats,
-- e.g. '7,12' (libpqxx 6 has no array conversion).
SELECT array_to_string(ARRAY(SELECT DISTINCT month FROM unnest(rating_months) AS month ORDER BY month), ',')
         AS rating_months,
       central_household_min_percent, central_household_max_percent
FROM evaluation_policies
WHERE town_code = $1
