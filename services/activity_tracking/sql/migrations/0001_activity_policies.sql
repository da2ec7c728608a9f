-- Per-town values of activity recording. A town without a row uses the
-- seed's value (R4 二(一) tasks 3: at least 1 activity per member per month),
-- so no rows are inserted here.
CREATE TABLE activity_policies (
  town_code text PRIMARY KEY CHECK (town_code ~ '^[0-9]{12}$'),
  min_activities_per_month integer NOT NULL,
  update_time timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT activity_policies_town_level CHECK (right(town_code, 3) = '000' AND substr(town_code, 7, 3) <> '000'),
  -- The seed asks for at least one a month; more than one a day is not a plan.
  CONSTRAINT activity_policies_per_month_range CHECK (min_activities_per_month BETWEEN 1 AND 31)
);
