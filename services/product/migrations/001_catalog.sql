-- Catalog: categories and products.
-- Prices are integer minor units (cents) plus an ISO 4217 currency: never floats.
-- Timestamps keep millisecond precision so a JavaScript Date round-trips them exactly
-- (the keyset cursors of the "newest" sort carry created_at).

CREATE TABLE categories (
  slug        text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text NOT NULL DEFAULT '',
  position    integer NOT NULL DEFAULT 0
);

CREATE TABLE products (
  id           uuid PRIMARY KEY,
  sku          text NOT NULL CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{1,63}$'),
  slug         text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description  text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  category     text NOT NULL REFERENCES categories (slug) ON UPDATE CASCADE,
  -- Up to Number.MAX_SAFE_INTEGER so JavaScript reads every price exactly.
  price_minor  bigint NOT NULL CHECK (price_minor >= 0 AND price_minor <= 9007199254740991),
  currency     char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  images       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(images) = 'array'),
  attributes   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
  active       boolean NOT NULL DEFAULT true,
  -- Kept in the same transaction as every review insert (see store/reviews.ts).
  rating_avg   numeric(3, 2) NOT NULL DEFAULT 0 CHECK (rating_avg BETWEEN 0 AND 5),
  rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  updated_at   timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT products_sku_key UNIQUE (sku),
  CONSTRAINT products_slug_key UNIQUE (slug)
);

-- Keyset paging indexes, one per sort, over the rows the public sees.
CREATE INDEX products_newest_idx ON products (created_at, id) WHERE active;
CREATE INDEX products_price_idx ON products (price_minor, id) WHERE active;
CREATE INDEX products_rating_idx ON products (rating_avg, rating_count, id) WHERE active;
CREATE INDEX products_category_price_idx ON products (category, price_minor, id) WHERE active;
