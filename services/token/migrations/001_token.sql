-- The token service's state: signing keys, the subjects projection, sessions (refresh-token
-- families), revocations, API keys. Secrets (refresh tokens, API keys) are stored only as
-- SHA-256 digests; timestamps are written by the service (JavaScript clock, like token `iat`).

-- Ed25519 signing keys. The newest key with no retired_at signs; a retired key stays published
-- in the JWKS until every token it signed has expired.
CREATE TABLE signing_keys (
  kid         text PRIMARY KEY,
  private_jwk jsonb NOT NULL,
  public_jwk  jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  retired_at  timestamptz
);
CREATE INDEX signing_keys_active ON signing_keys (created_at DESC) WHERE retired_at IS NULL;

-- Who a user is for token purposes, projected from auth.* and user.* events.
CREATE TABLE subjects (
  user_id    text PRIMARY KEY,
  roles      text[] NOT NULL,
  tier       text NOT NULL CHECK (tier IN ('free', 'premium', 'enterprise')),
  status     text NOT NULL CHECK (status IN ('active', 'suspended')),
  updated_at timestamptz NOT NULL
);

-- A session is one sign-in on one device: the family of refresh tokens rotated from its first.
CREATE TABLE sessions (
  id             uuid PRIMARY KEY,
  user_id        text NOT NULL,
  user_agent     text CHECK (length(user_agent) <= 500),
  ip             text CHECK (length(ip) <= 64),
  created_at     timestamptz NOT NULL,
  last_used_at   timestamptz NOT NULL,
  -- Absolute lifetime: rotation never extends it.
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Every refresh token ever issued in a family; the one with rotated_at NULL is current. Rotated
-- ones are kept (until the session ends) so that their reuse can be recognised.
CREATE TABLE refresh_tokens (
  token_hash bytea PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  issued_at  timestamptz NOT NULL,
  rotated_at timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- What verifiers poll (GET /revocations). Rows are written one transaction at a time (advisory
-- lock), so seq order is commit order and a poller never skips a row committed late.
CREATE TABLE revocations (
  seq        bigserial PRIMARY KEY,
  session_id uuid,
  user_id    text,
  not_before timestamptz,
  expires_at timestamptz NOT NULL,
  CHECK (session_id IS NOT NULL OR (user_id IS NOT NULL AND not_before IS NOT NULL))
);
CREATE INDEX revocations_expiry ON revocations (expires_at);

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY,
  user_id      text NOT NULL,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  scopes       text[] NOT NULL,
  tier         text NOT NULL CHECK (tier IN ('free', 'premium', 'enterprise')),
  key_hash     bytea NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_keys_user ON api_keys (user_id) WHERE revoked_at IS NULL;
