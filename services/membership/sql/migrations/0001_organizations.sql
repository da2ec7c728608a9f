-- The organisation tree: district -> town -> village / community.
CREATE TABLE organizations (
  code text PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
  kind text NOT NULL CHECK (kind IN ('DISTRICT', 'TOWN', 'VILLAGE', 'COMMUNITY')),
  parent_code text REFERENCES organizations (code),
  display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 50),
  demo_data boolean NOT NULL DEFAULT false,
  request_id text UNIQUE,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organizations_sibling_name_unique UNIQUE NULLS NOT DISTINCT (parent_code, display_name),
  CONSTRAINT organizations_parent_required CHECK ((kind = 'DISTRICT') = (parent_code IS NULL))
);

CREATE INDEX organizations_parent_code_idx ON organizations (parent_code, code);
