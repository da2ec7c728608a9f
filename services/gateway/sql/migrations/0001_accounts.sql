-- People who log in, what they may do where, and their refresh tokens.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  login_name text NOT NULL UNIQUE CHECK (login_name ~ '^[A-Za-z0-9._-]{3,32}$'),
  display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 50),
  phone text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^1[3-9][0-9]{9}$'),
  -- argon2id, libsodium crypto_pwhash_str format ($argon2id$v=19$...).
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'LOCKED', 'DISABLED')),
  org_code text NOT NULL CHECK (org_code ~ '^[0-9]{12}$'),
  -- Consecutive failed logins since the last success or lock.
  failed_login_count integer NOT NULL DEFAULT 0 CHECK (failed_login_count >= 0),
  lock_expire_time timestamptz,
  last_login_time timestamptz,
  request_id text UNIQUE,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_locked_has_expiry CHECK ((status = 'LOCKED') = (lock_expire_time IS NOT NULL))
);

CREATE INDEX users_org_code_login_name_idx ON users (org_code text_pattern_ops, login_name);

-- A role held over an org subtree (the org_scope division code and below).
CREATE TABLE role_bindings (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role ~ '^[A-Z_]+$'),
  org_scope text NOT NULL CHECK (org_scope ~ '^[0-9]{12}$'),
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, role, org_scope)
);

-- Refresh tokens by SHA-256 (hex) only: the database never holds a usable
-- token. Single use: Refresh revokes the row and points replaced_by at its
-- successor; presenting a replaced token again means it was copied, and every
-- token of the user is revoked.
CREATE TABLE refresh_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  create_time timestamptz NOT NULL DEFAULT now(),
  expire_time timestamptz NOT NULL,
  revoked_at timestamptz,
  replaced_by bigint REFERENCES refresh_tokens (id),
  CONSTRAINT refresh_tokens_replaced_is_revoked CHECK (replaced_by IS NULL OR revoked_at IS NOT NULL)
);

CREATE INDEX refresh_tokens_user_active_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
