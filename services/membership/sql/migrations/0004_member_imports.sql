-- Roster imports that were written (issue 4 deliverable 2). A retry with the
-- same request_id gets the stored report instead of importing again; the
-- file's hash ties the request_id to one file.
CREATE TABLE member_imports (
  import_id bigserial PRIMARY KEY,
  request_id text UNIQUE,
  org_code text NOT NULL,
  file_name text NOT NULL DEFAULT '',
  file_sha256 text NOT NULL,
  actor text NOT NULL,
  rows_total integer NOT NULL,
  created integer NOT NULL,
  updated integer NOT NULL,
  unchanged integer NOT NULL,
  -- gridserve.membership.v1.ImportReport, serialized.
  report bytea NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now()
);
