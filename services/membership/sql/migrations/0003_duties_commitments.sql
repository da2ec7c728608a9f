-- 亮职责 and 亮承诺 (clause 二(一)2-3, rules R2 and R3).

-- A town's own list of duty areas. A town without rows uses the programme's
-- standard list (kept in code: duties.cc), so the default needs no seeding and
-- follows the seed if it is ever corrected.
CREATE TABLE duty_areas (
  town_code text NOT NULL REFERENCES organizations (code),
  code text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
  display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 30),
  retired boolean NOT NULL DEFAULT false,
  -- Order in which the town lists its areas.
  position integer NOT NULL,
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (town_code, code)
);

-- A member's duties for one year (R2): areas of the member's town plus free text.
CREATE TABLE member_duties (
  member_id uuid NOT NULL REFERENCES members (member_id),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  area_codes text[] NOT NULL DEFAULT '{}',
  free_text text NOT NULL DEFAULT '' CHECK (char_length(free_text) <= 500),
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, year),
  CONSTRAINT member_duties_not_empty CHECK (cardinality(area_codes) > 0 OR free_text <> '')
);

-- The reports look up "has duties for year Y" for every member of a subtree.
CREATE INDEX member_duties_year_member_idx ON member_duties (year, member_id);
-- "Is this area in use?" when a town edits its list.
CREATE INDEX member_duties_area_codes_idx ON member_duties USING gin (area_codes);

-- 承诺事项 (R3): 1-2 per member per year; the limit is enforced by the service
-- under a lock on the member row (a CHECK cannot count rows).
CREATE TABLE commitments (
  commitment_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  member_id uuid NOT NULL REFERENCES members (member_id),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  target text NOT NULL CHECK (char_length(target) BETWEEN 1 AND 200),
  measures text NOT NULL CHECK (char_length(measures) BETWEEN 1 AND 500),
  due_date date,
  status text NOT NULL DEFAULT 'PLEDGED'
    CHECK (status IN ('PLEDGED', 'IN_PROGRESS', 'FULFILLED', 'NOT_FULFILLED')),
  -- "activities/{id}" references, checked by activity_tracking once it exists.
  evidence text[] NOT NULL DEFAULT '{}' CHECK (cardinality(evidence) <= 20),
  signed_date date,
  request_id text UNIQUE,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX commitments_member_year_idx ON commitments (member_id, year, create_time);
CREATE INDEX commitments_year_member_idx ON commitments (year, member_id);
