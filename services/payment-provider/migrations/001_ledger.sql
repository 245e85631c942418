-- The processor's ledger: card tokens, charges, refunds, and the run-time fault settings.
-- Card numbers and CVCs are never stored: a token keeps the brand, the last four digits, the
-- expiry and the test-card outcome worked out when it was made. Idempotency keys live in the
-- chassis's idempotency_keys table, written in the same transaction as the charge or refund.
-- The checks repeat the application's rules so a bug above can never store what they refuse.

CREATE TABLE tokens (
  id          text PRIMARY KEY CHECK (id ~ '^tok_[0-9a-f]{24}$'),
  brand       text NOT NULL CHECK (brand IN ('visa', 'mastercard', 'amex', 'discover', 'unknown')),
  last4       char(4) NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month   smallint NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year    smallint NOT NULL CHECK (exp_year BETWEEN 2000 AND 2200),
  outcome     text NOT NULL
              CHECK (outcome IN ('succeeds', 'card_declined', 'insufficient_funds', 'processing_error')),
  customer    text CHECK (length(customer) BETWEEN 1 AND 200),
  created_at  timestamptz(3) NOT NULL,
  expires_at  timestamptz(3) NOT NULL CHECK (expires_at > created_at),
  -- The succeeded charge that used it up (single use).
  used_by     text,
  used_at     timestamptz(3),
  CHECK ((used_by IS NULL) = (used_at IS NULL))
);

CREATE TABLE charges (
  -- Ledger order: lists page by it, newest first.
  seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id              text PRIMARY KEY CHECK (id ~ '^ch_[0-9a-f]{24}$'),
  token_id        text NOT NULL REFERENCES tokens (id),
  amount          integer NOT NULL CHECK (amount > 0),
  amount_refunded integer NOT NULL DEFAULT 0 CHECK (amount_refunded BETWEEN 0 AND amount),
  currency        char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status          text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  failure_code    text CHECK (failure_code IN ('card_declined', 'insufficient_funds')),
  customer        text CHECK (length(customer) BETWEEN 1 AND 200),
  description     text CHECK (length(description) <= 500),
  metadata        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  created_at      timestamptz(3) NOT NULL,
  CHECK ((status = 'failed') = (failure_code IS NOT NULL)),
  -- A failed charge captured nothing, so nothing of it can be refunded.
  CHECK (status = 'succeeded' OR amount_refunded = 0)
);

ALTER TABLE tokens ADD FOREIGN KEY (used_by) REFERENCES charges (id);

-- A token pays once: at most one succeeded charge per token, whatever the application does.
CREATE UNIQUE INDEX charges_one_success_per_token ON charges (token_id) WHERE status = 'succeeded';
-- The list filters.
CREATE INDEX charges_order_id_idx ON charges ((metadata ->> 'orderId'), seq);
CREATE INDEX charges_customer_idx ON charges (customer, seq);
CREATE INDEX charges_status_idx ON charges (status, seq);

CREATE TABLE refunds (
  -- The order they were made in (several may share a timestamp).
  seq        bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id         text PRIMARY KEY CHECK (id ~ '^re_[0-9a-f]{24}$'),
  charge_id  text NOT NULL REFERENCES charges (id),
  amount     integer NOT NULL CHECK (amount > 0),
  reason     text CHECK (length(reason) <= 500),
  metadata   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz(3) NOT NULL
);

CREATE INDEX refunds_charge_idx ON refunds (charge_id, seq);

-- Fault settings changed at run time (PUT /v1/sandbox/faults): one row, or none for the
-- environment's settings. In the database so that every replica answers the same way.
CREATE TABLE sandbox_faults (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  latency_ms  integer NOT NULL CHECK (latency_ms BETWEEN 0 AND 60000),
  error_rate  double precision NOT NULL CHECK (error_rate BETWEEN 0 AND 1),
  down        boolean NOT NULL,
  updated_at  timestamptz(3) NOT NULL DEFAULT now()
);
