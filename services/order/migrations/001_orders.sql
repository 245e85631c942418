-- Orders: one row per order with its saga state (status, what it waits for and until when), its
-- priced lines, and every transition with its time and cause (the saga timeline). Timestamps keep
-- millisecond precision so a JavaScript Date round-trips them exactly. The table is "orders":
-- ORDER is an SQL keyword.

CREATE TABLE orders (
  id               uuid PRIMARY KEY,
  user_id          uuid NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'awaiting_payment', 'confirmed', 'cancelled')),
  -- The cart the lines came from (cleared on confirmation), null when the lines were given.
  cart_id          text CHECK (length(cart_id) <= 100),
  -- The payment provider's token of the card (never card data), charged at the payment step.
  card_token       text NOT NULL CHECK (length(card_token) <= 100),
  currency         char(3) NOT NULL,
  subtotal_minor   bigint NOT NULL CHECK (subtotal_minor >= 0),
  shipping_minor   bigint NOT NULL CHECK (shipping_minor >= 0),
  tax_minor        bigint NOT NULL CHECK (tax_minor >= 0),
  total_minor      bigint NOT NULL CHECK (total_minor = subtotal_minor + shipping_minor + tax_minor),
  shipping_address jsonb NOT NULL,
  cancel_reason    text CHECK (length(cancel_reason) <= 64),
  -- A captured payment is to be refunded (the order was paid when it was cancelled).
  refund_due       boolean NOT NULL DEFAULT false,
  -- When the step the order waits in times out (the sweeper's clock); null once it is final.
  deadline_at      timestamptz(3),
  -- Transitions so far: the status stream's event id, so a client never sees one twice.
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL)),
  CHECK (status IN ('pending', 'awaiting_payment') OR deadline_at IS NULL)
);
-- "My orders", newest first, keyset paged.
CREATE INDEX orders_user_idx ON orders (user_id, created_at DESC, id DESC);
-- The admin list, newest first, optionally by status.
CREATE INDEX orders_created_idx ON orders (created_at DESC, id DESC);
CREATE INDEX orders_status_idx ON orders (status, created_at DESC, id DESC);
-- The timeout sweeper's scan.
CREATE INDEX orders_deadline_idx ON orders (deadline_at) WHERE deadline_at IS NOT NULL;

CREATE TABLE order_lines (
  order_id         uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line_no          smallint NOT NULL CHECK (line_no BETWEEN 1 AND 100),
  product_id       uuid NOT NULL,
  sku              text NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  quantity         integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
  PRIMARY KEY (order_id, line_no),
  UNIQUE (order_id, product_id)
);

-- The saga timeline: every status change, with when, what caused it and why.
CREATE TABLE order_transitions (
  id          bigserial PRIMARY KEY,
  order_id    uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  -- Null for the order's creation.
  from_status text,
  to_status   text NOT NULL,
  -- 'customer', 'admin:<id>', 'event:<type>', 'timeout:<step>'.
  cause       text NOT NULL CHECK (length(cause) <= 100),
  reason      text CHECK (length(reason) <= 64),
  -- The consumed event that caused it, when one did.
  event_id    uuid,
  at          timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX order_transitions_order_idx ON order_transitions (order_id, id);
