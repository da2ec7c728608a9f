-- The register of party members (clause 二(一), attachment 1). Never deleted:
-- membership ends with a reason; transfers and changes are kept in member_events.
CREATE TABLE members (
  member_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  full_name text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 30),
  gender text NOT NULL CHECK (gender IN ('MALE', 'FEMALE')),
  -- 出生年月: the first day of the month.
  birth_month date NOT NULL CHECK (extract(day FROM birth_month) = 1),
  -- 入党时间, with its precision (a roster often has the month only).
  joined_date date NOT NULL,
  joined_month_only boolean NOT NULL DEFAULT false,
  phone text NOT NULL DEFAULT '',
  branch_code text NOT NULL REFERENCES organizations (code),
  grid text NOT NULL DEFAULT '',
  household text NOT NULL DEFAULT '',
  courtyard text NOT NULL DEFAULT '',
  is_group_head boolean NOT NULL DEFAULT false,
  publicity_consent boolean NOT NULL DEFAULT false,
  notes text NOT NULL DEFAULT '' CHECK (char_length(notes) <= 500),
  -- 身份证号, encrypted by the service (nonce || secretbox); never stored in clear.
  national_id_sealed bytea,
  national_id_last4 text NOT NULL DEFAULT '',
  -- Keyed hash identifying the person: of the national id when known, else of
  -- name and birth month. One active record per person per branch.
  person_key text NOT NULL,
  user_ref text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ENDED')),
  end_reason text CHECK (end_reason IN ('TRANSFERRED_OUT', 'DECEASED', 'WITHDRAWN', 'EXPELLED', 'OTHER')),
  end_note text NOT NULL DEFAULT '',
  end_date date,
  demo_data boolean NOT NULL DEFAULT false,
  request_id text UNIQUE,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT members_joined_after_birth CHECK (joined_date > birth_month),
  CONSTRAINT members_end_consistent CHECK ((status = 'ENDED') = (end_reason IS NOT NULL AND end_date IS NOT NULL))
);

CREATE UNIQUE INDEX members_one_active_per_person_per_branch ON members (branch_code, person_key)
  WHERE status = 'ACTIVE';
CREATE INDEX members_branch_name_idx ON members (branch_code, full_name, member_id);
CREATE INDEX members_user_ref_idx ON members (user_ref) WHERE user_ref <> '';
CREATE INDEX members_grid_idx ON members (grid) WHERE grid <> '';

-- History of each record: registration, changes, transfers, end.
CREATE TABLE member_events (
  event_id bigserial PRIMARY KEY,
  member_id uuid NOT NULL REFERENCES members (member_id),
  kind text NOT NULL CHECK (kind IN ('REGISTERED', 'UPDATED', 'TRANSFERRED', 'ENDED', 'IMPORTED')),
  from_branch_code text NOT NULL,
  to_branch_code text NOT NULL,
  effective_date date NOT NULL,
  detail text NOT NULL DEFAULT '',
  actor text NOT NULL,
  request_id text UNIQUE,
  create_time timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX member_events_member_idx ON member_events (member_id, event_id);
