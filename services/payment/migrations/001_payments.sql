-- Payments: one per order, the processor's charge and refund for it, and every call made to the
-- processor. Timestamps keep millisecond precision so a JavaScript Date round-trips them exactly.

-- One row per order (order_id UNIQUE: a redelivered or repeated request never makes a second).
-- The row is also the durable retry: while a charge or a refund is still to be done, the worker
-- takes it when next_attempt_at is due (SKIP LOCKED, so replicas share the work).
CREATE TABLE payments (
  id                uuid PRIMARY KEY,
  order_id          uuid NOT NULL UNIQUE,
  user_id           uuid NOT NULL,
  amount_minor      bigint NOT NULL CHECK (amount_minor >= 0),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  card_token        text NOT NULL,
  -- pending: the charge is to be made (or the order was cancelled meanwhile: settle it);
  -- captured: charged; failed: never charged, for good; abandoned: the order was cancelled before
  -- any charge; refunding: captured, its order cancelled, the refund to be made; refunded;
  -- refund_failed: the processor refused the refund (an operator must look).
  status            text NOT NULL
                    CHECK (status IN ('pending', 'captured', 'failed', 'abandoned', 'refunding', 'refunded', 'refund_failed')),
  charge_id         text,
  refund_id         text,
  failure_reason    text CHECK (failure_reason ~ '^[a-z][a-z0-9_]{0,63}$'),
  -- When order.cancelled.v1 arrived: a capture from then on is refunded.
  order_cancelled_at timestamptz(3),
  -- Calls made to the processor for this payment, and when the next one is due (null: none).
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz(3),
  last_error        text,
  requested_at      timestamptz(3) NOT NULL,
  captured_at       timestamptz(3),
  refunded_at       timestamptz(3),
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  updated_at        timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((status IN ('pending', 'refunding')) = (next_attempt_at IS NOT NULL)),
  CHECK (status NOT IN ('captured', 'refunding', 'refunded', 'refund_failed') OR charge_id IS NOT NULL),
  CHECK (status <> 'refunded' OR refund_id IS NOT NULL),
  CHECK (status <> 'failed' OR failure_reason IS NOT NULL)
);
-- The worker's scan: work still to do, by when it is due.
CREATE INDEX payments_due_idx ON payments (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
-- The admin list, newest first.
CREATE INDEX payments_created_idx ON payments (created_at DESC, id DESC);

-- Every call to the processor, whatever came of it: what was asked, what it answered (or why
-- there was no answer), and whether it may have charged or refunded.
CREATE TABLE payment_attempts (
  id          bigserial PRIMARY KEY,
  payment_id  uuid NOT NULL REFERENCES payments (id),
  kind        text NOT NULL CHECK (kind IN ('charge', 'refund', 'lookup')),
  -- succeeded, declined (final), rejected (final), retry (to be tried again)
  outcome     text NOT NULL CHECK (outcome IN ('succeeded', 'declined', 'rejected', 'retry')),
  -- The processor's HTTP status, null when no answer came.
  http_status integer,
  -- The processor's problem code, or the reason there was no answer (timeout, circuit_open, …).
  code        text,
  -- False when this call certainly moved no money (never sent, stored nothing, or a decline).
  maybe_sent  boolean NOT NULL,
  started_at  timestamptz(3) NOT NULL,
  finished_at timestamptz(3) NOT NULL
);
CREATE INDEX payment_attempts_payment_idx ON payment_attempts (payment_id, id);

-- Orders cancelled before their payment was requested here (events can overtake each other): a
-- later order.payment_requested.v1 for one of them is not charged.
CREATE TABLE cancelled_orders (
  order_id     uuid PRIMARY KEY,
  cancelled_at timestamptz(3) NOT NULL DEFAULT now()
);
