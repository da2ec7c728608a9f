-- Per-town values of ratings and selections. A town without a row uses the
-- seed's values (R11 三: rating rounds in July and December; R14 三: central
-- households 15%-20% of member households), so no rows are inserted here.
CREATE TABLE evaluation_policies (
  town_code text PRIMARY KEY CHECK (town_code ~ '^[0-9]{12}$'),
  rating_months integer[] NOT NULL,
  central_household_min_percent integer NOT NULL,
  central_household_max_percent integer NOT NULL,
  update_time timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT evaluation_policies_town_level CHECK (right(town_code, 3) = '000' AND substr(town_code, 7, 3) <> '000'),
  -- At least one round a year, each in a calendar month; a list, not a matrix,
  -- without NULLs. Repeats are harmless: get_evaluation_policy.sql drops them.
  CONSTRAINT evaluation_policies_rating_months_range CHECK (
    array_ndims(rating_months) = 1
    AND cardinality(rating_months) BETWEEN 1 AND 12
    AND array_position(rating_months, NULL) IS NULL
    AND 1 <= ALL (rating_months)
    AND 12 >= ALL (rating_months)),
  CONSTRAINT evaluation_policies_central_household_band CHECK (
    central_household_min_percent BETWEEN 0 AND 100
    AND central_household_max_percent BETWEEN 0 AND 100
    AND central_household_min_percent <= central_household_max_percent)
);
