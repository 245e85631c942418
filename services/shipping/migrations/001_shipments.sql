-- Shipping: one shipment per confirmed order, with the full address for the label (personal data:
-- shown to its customer and admins only), its lines, carrier, tracking number and the simulator's
-- clock; every status change with its time, cause and city-level location (the tracking history).
-- Timestamps keep millisecond precision so a JavaScript Date round-trips them exactly.

CREATE TABLE shipments (
  id                  uuid PRIMARY KEY,
  -- One shipment per order whatever is redelivered: the unique key is the idempotency.
  order_id            uuid NOT NULL UNIQUE,
  user_id             uuid NOT NULL,
  status              text NOT NULL CHECK (status IN
                        ('scheduled', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'cancelled')),
  carrier             text NOT NULL CHECK (carrier ~ '^[a-z][a-z0-9_]{0,63}$'),
  service_level       text NOT NULL CHECK (service_level ~ '^[a-z][a-z0-9_]{0,63}$'),
  tracking_number     text NOT NULL UNIQUE CHECK (tracking_number ~ '^[A-Z0-9]{8,32}$'),
  estimated_delivery  date NOT NULL,
  -- The order's shipping address as order.confirmed.v1 gave it.
  address             jsonb NOT NULL,
  destination_city    text NOT NULL CHECK (length(destination_city) BETWEEN 1 AND 100),
  destination_country char(2) NOT NULL,
  -- The order's lines (SKU, name, quantity): what goes in the parcel.
  lines               jsonb NOT NULL,
  -- Why it ended in exception or cancelled (a stable code); null otherwise.
  reason              text CHECK (length(reason) <= 64),
  -- When the carrier simulator makes the next step; null once final (or with the simulator off).
  next_step_at        timestamptz(3),
  -- Changes so far: admins may send it back to refuse a stale move.
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  updated_at          timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((status IN ('exception', 'cancelled')) = (reason IS NOT NULL)),
  CHECK (status NOT IN ('delivered', 'exception', 'cancelled') OR next_step_at IS NULL)
);
-- "My shipments", newest first, keyset paged.
CREATE INDEX shipments_user_idx ON shipments (user_id, created_at DESC, id DESC);
-- The admin list, newest first, optionally by status.
CREATE INDEX shipments_created_idx ON shipments (created_at DESC, id DESC);
CREATE INDEX shipments_status_idx ON shipments (status, created_at DESC, id DESC);
-- The carrier simulator's scan.
CREATE INDEX shipments_next_step_idx ON shipments (next_step_at) WHERE next_step_at IS NOT NULL;

-- The tracking history: every status change, with when, what caused it and where (city level).
CREATE TABLE shipment_history (
  id          bigserial PRIMARY KEY,
  shipment_id uuid NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
  -- Null for the shipment's creation.
  from_status text,
  to_status   text NOT NULL,
  -- 'event:<type>', 'carrier', 'admin:<user id>'.
  cause       text NOT NULL CHECK (length(cause) <= 100),
  reason      text CHECK (length(reason) <= 64),
  city        text CHECK (length(city) <= 100),
  country     char(2),
  at          timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((city IS NULL) = (country IS NULL))
);
CREATE INDEX shipment_history_shipment_idx ON shipment_history (shipment_id, id);

-- Orders cancelled before their confirmation reached shipping (events of one order may be handled
-- out of order): a late order.confirmed.v1 for one of them schedules nothing.
CREATE TABLE cancelled_orders (
  order_id     uuid PRIMARY KEY,
  cancelled_at timestamptz(3) NOT NULL DEFAULT now()
);
