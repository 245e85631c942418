-- Users: who someone is to the shop. The id is the auth account id (auth.user_registered.v1).
-- Timestamps keep millisecond precision so the keyset cursor (created_at, id) round-trips
-- through a JavaScript Date exactly.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
  id               uuid PRIMARY KEY,
  email            text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  display_name     text NOT NULL DEFAULT '' CHECK (length(display_name) <= 100),
  -- A non-empty set of known roles (the domain also dedupes them and keeps them in ROLES order).
  roles            text[] NOT NULL DEFAULT '{customer}'
                   CHECK (cardinality(roles) BETWEEN 1 AND 3 AND roles <@ ARRAY['customer', 'support', 'admin']),
  tier             text NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'premium', 'enterprise')),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  suspended_reason text CHECK (length(suspended_reason) <= 500),
  -- NULL while the record exists only because `admin.ts grant-role` made it ahead of the
  -- registration event; that event then fills in email and display name (see store/users.ts).
  registered_at    timestamptz(3),
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT users_suspension_reason CHECK ((status = 'suspended') = (suspended_reason IS NOT NULL))
);

-- Admin list: newest first, keyset paging on (created_at, id).
CREATE INDEX users_created_idx ON users (created_at DESC, id DESC);
-- Admin search: ILIKE '%q%' on email or display name.
CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops);
CREATE INDEX users_display_name_trgm_idx ON users USING gin (display_name gin_trgm_ops);
CREATE INDEX users_roles_idx ON users USING gin (roles);
