-- Per-town values of the grid work (三联). A town without a row uses the
-- seed's values (R5 二(二)1: 2 households per member; R6 二(二)2: 1 member
-- per courtyard), so no rows are inserted here.
CREATE TABLE grid_policies (
  town_code text PRIMARY KEY CHECK (town_code ~ '^[0-9]{12}$'),
  min_households_per_member integer NOT NULL,
  min_members_per_courtyard integer NOT NULL,
  update_time timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT grid_policies_town_level CHECK (right(town_code, 3) = '000' AND substr(town_code, 7, 3) <> '000'),
  -- 二(二)1 links each member to several households ("一对多").
  CONSTRAINT grid_policies_households_range CHECK (min_households_per_member BETWEEN 1 AND 100),
  -- 二(二) tasks 1: one or more members per courtyard.
  CONSTRAINT grid_policies_courtyard_range CHECK (min_members_per_courtyard BETWEEN 1 AND 20)
);
