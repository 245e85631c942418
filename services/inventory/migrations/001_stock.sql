-- Inventory: stock per SKU, the movement ledger that explains every count, and reservations per
-- order. Timestamps keep millisecond precision so a JavaScript Date round-trips them exactly.

-- One row per SKU. available + reserved + sold only ever moves between the three columns, except
-- through the ledger's initial, restock and adjustment movements; CHECKs make a negative count
-- impossible whatever the code does, conditional UPDATEs make it a clean refusal.
CREATE TABLE stock (
  sku           text PRIMARY KEY CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{1,63}$'),
  product_id    uuid NOT NULL,
  available     integer NOT NULL CHECK (available >= 0),
  reserved      integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  sold          integer NOT NULL DEFAULT 0 CHECK (sold >= 0),
  -- Null: the service's default (LOW_STOCK_THRESHOLD).
  low_threshold integer CHECK (low_threshold >= 0),
  -- stock_low was published for the current dip below the threshold (re-armed when it rises again).
  low_alerted   boolean NOT NULL DEFAULT false,
  -- The product is on sale (product.updated.v1 follows it); inactive SKUs are not reserved.
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT stock_product_key UNIQUE (product_id)
);
CREATE INDEX stock_available_idx ON stock (available, sku);

-- The ledger: every change of a count, with who, why and when. Per SKU the sums of the deltas are
-- the counts; movements between columns (reservation, release, commit, expiry) sum to zero.
CREATE TABLE stock_movements (
  id              bigserial PRIMARY KEY,
  sku             text NOT NULL REFERENCES stock (sku) ON UPDATE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('initial', 'restock', 'adjustment', 'reservation', 'release', 'commit', 'expiry')),
  delta_available integer NOT NULL,
  delta_reserved  integer NOT NULL,
  delta_sold      integer NOT NULL,
  order_id        uuid,
  reason          text CHECK (length(reason) <= 200),
  -- 'user:<id>' for an admin, 'event:<type>' for a consumed event, 'sweeper' for expiry.
  actor           text NOT NULL,
  at              timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (
    CASE kind
      WHEN 'initial' THEN delta_available >= 0 AND delta_reserved = 0 AND delta_sold = 0
      WHEN 'restock' THEN delta_available > 0 AND delta_reserved = 0 AND delta_sold = 0
      WHEN 'adjustment' THEN delta_available <> 0 AND delta_reserved = 0 AND delta_sold = 0 AND reason IS NOT NULL
      ELSE delta_available + delta_reserved + delta_sold = 0 AND order_id IS NOT NULL
    END
  )
);
CREATE INDEX stock_movements_sku_idx ON stock_movements (sku, id DESC);

-- One reservation per order: what inventory answered and, while active, what it holds.
-- A rejected order keeps its answer so a redelivered order.placed.v1 gets the same one.
CREATE TABLE reservations (
  order_id   uuid PRIMARY KEY,
  id         uuid NOT NULL UNIQUE,
  status     text NOT NULL CHECK (status IN ('active', 'committed', 'released', 'expired', 'rejected')),
  -- The stock_rejected answer's reason; the cancellation's reason for a release.
  reason     text CHECK (length(reason) <= 64),
  -- The event data inventory answered with (stock_reserved or stock_rejected), replayed on a
  -- redelivery; null for an order cancelled before it was placed here.
  answer     jsonb,
  expires_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (status <> 'active' OR expires_at IS NOT NULL)
);
-- The sweeper's scan: active reservations by expiry.
CREATE INDEX reservations_expiry_idx ON reservations (expires_at) WHERE status = 'active';

CREATE TABLE reservation_lines (
  order_id uuid NOT NULL REFERENCES reservations (order_id) ON DELETE CASCADE,
  sku      text NOT NULL REFERENCES stock (sku) ON UPDATE CASCADE,
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, sku)
);
