-- Preferences and addresses of each user. The user id comes from the auth service's
-- auth.user_registered.v1 event (there is no users table here: profile owns only this data).
-- The checks mirror src/domain so a bug above can never store what the rules refuse; the
-- domain (bundled country list, per-country postal codes, ICU locale check) stays the real gate.
-- Timestamps keep millisecond precision so a JavaScript Date round-trips them exactly.

CREATE TABLE preferences (
  user_id          uuid PRIMARY KEY,
  marketing_opt_in boolean NOT NULL DEFAULT false,
  channels         text[] NOT NULL DEFAULT ARRAY['email', 'in_app']
                   CHECK (channels <@ ARRAY['email', 'in_app'] AND array_position(channels, NULL) IS NULL),
  locale           text NOT NULL DEFAULT 'en-GB' CHECK (length(locale) BETWEEN 2 AND 35),
  currency         char(3) NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  updated_at       timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE addresses (
  id                  uuid PRIMARY KEY,
  user_id             uuid NOT NULL,
  label               text CHECK (length(label) <= 50),
  recipient_name      text NOT NULL CHECK (length(recipient_name) BETWEEN 1 AND 200),
  line1               text NOT NULL CHECK (length(line1) BETWEEN 1 AND 200),
  line2               text CHECK (length(line2) <= 200),
  city                text NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
  region              text CHECK (length(region) <= 100),
  postal_code         text CHECK (length(postal_code) BETWEEN 1 AND 20),
  country             char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  phone               text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  is_default_shipping boolean NOT NULL DEFAULT false,
  is_default_billing  boolean NOT NULL DEFAULT false,
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  updated_at          timestamptz(3) NOT NULL DEFAULT now()
);

-- The address book in the order it was filled in.
CREATE INDEX addresses_user_idx ON addresses (user_id, created_at, id);
-- At most one default of each kind per user, whatever the application does.
CREATE UNIQUE INDEX addresses_one_default_shipping ON addresses (user_id) WHERE is_default_shipping;
CREATE UNIQUE INDEX addresses_one_default_billing ON addresses (user_id) WHERE is_default_billing;
