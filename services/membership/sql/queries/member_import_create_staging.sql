-- The rows of one import, loaded with COPY; gone at the end of the transaction.
-- member_id and changed_fields are filled by member_import_match_rows.
CREATE TEMP TABLE member_import_rows (
  row_number integer NOT NULL,
  full_name text NOT NULL,
  gender text NOT NULL,
  birth_month date NOT NULL,
  joined_date date NOT NULL,
  joined_month_only boolean NOT NULL,
  phone text NOT NULL,
  branch_code text NOT NULL,
  grid text NOT NULL,
  is_group_head boolean NOT NULL,
  publicity_consent boolean NOT NULL,
  notes text NOT NULL,
  national_id_sealed_hex text NOT NULL,
  national_id_last4 text NOT NULL,
  person_key text NOT NULL,
  member_id uuid,
  changed_fields text
) ON COMMIT DROP
