-- Carts (the Postgres store; with REDIS_URL carts live in Redis and these tables stay empty, while
-- the inbox and dead letters of the event runtime still live in this database).
-- Times are epoch milliseconds as the domain keeps them (bigint), so nothing is rounded.

CREATE TABLE carts (
  id          uuid PRIMARY KEY,
  -- Exactly one owner: a user, or the SHA-256 of an anonymous cart's token.
  user_id     uuid UNIQUE,
  token_hash  text UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  version     integer NOT NULL DEFAULT 0,
  created_at  bigint NOT NULL,
  updated_at  bigint NOT NULL,
  active_at   bigint NOT NULL,
  CHECK ((user_id IS NULL) <> (token_hash IS NULL))
);
-- The idle sweeper's scan.
CREATE INDEX carts_active_at_idx ON carts (active_at);

CREATE TABLE cart_lines (
  cart_id            uuid NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  product_id         uuid NOT NULL,
  sku                text NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  quantity           integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  unit_price_minor   bigint NOT NULL CHECK (unit_price_minor >= 0),
  currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  changed_from_minor bigint CHECK (changed_from_minor >= 0),
  changed_from_currency text CHECK (changed_from_currency ~ '^[A-Z]{3}$'),
  price_as_of        bigint NOT NULL,
  added_at           bigint NOT NULL,
  PRIMARY KEY (cart_id, product_id),
  CHECK ((changed_from_minor IS NULL) = (changed_from_currency IS NULL))
);
-- Re-pricing finds the carts holding a product.
CREATE INDEX cart_lines_product_idx ON cart_lines (product_id);

-- At most 100 lines per cart, whatever the code does (the domain refuses first, with a 422).
CREATE FUNCTION cart_lines_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM cart_lines
    WHERE cart_id IN (SELECT DISTINCT cart_id FROM inserted_lines)
    GROUP BY cart_id HAVING count(*) > 100
  ) THEN
    RAISE EXCEPTION 'a cart holds at most 100 lines' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER cart_lines_limit AFTER INSERT ON cart_lines
  REFERENCING NEW TABLE AS inserted_lines
  FOR EACH STATEMENT EXECUTE FUNCTION cart_lines_limit();
