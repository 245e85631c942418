-- Credentials: one account per normalised email, its argon2id hash (PHC string), and when its
-- email was verified and its password last changed.
create table accounts (
  id                  uuid        primary key,
  email               text        not null unique check (char_length(email) between 3 and 254),
  password_hash       text        not null check (password_hash like '$argon2id$%'),
  email_verified_at   timestamptz,
  created_at          timestamptz not null default now(),
  password_changed_at timestamptz not null default now()
);

-- Single-use email verification tokens, stored as SHA-256 of the token the user gets.
create table email_verification_tokens (
  token_hash  bytea       primary key,
  account_id  uuid        not null references accounts (id) on delete cascade,
  expires_at  timestamptz not null,
  used_at     timestamptz,
  created_at  timestamptz not null default now()
);
create index email_verification_tokens_account on email_verification_tokens (account_id);

-- Single-use password reset tokens (SHA-256); a newer request deletes the older unused ones.
create table password_reset_tokens (
  token_hash  bytea       primary key,
  account_id  uuid        not null references accounts (id) on delete cascade,
  expires_at  timestamptz not null,
  used_at     timestamptz,
  created_at  timestamptz not null default now()
);
create index password_reset_tokens_account on password_reset_tokens (account_id);

-- Failed-login counters: 'account:<sha256 of the normalised email>' (whether or not an account
-- has it, so the table reveals nothing) and 'ip:<address>'.
create table login_throttle (
  key              text        primary key,
  failures         integer     not null check (failures >= 0),
  first_failure_at timestamptz not null,
  last_failure_at  timestamptz not null,
  blocked_until    timestamptz
);
create index login_throttle_last_failure on login_throttle (last_failure_at);
