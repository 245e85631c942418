-- Stored results of writes made with an Idempotency-Key (see src/idempotency.ts).
-- A row is inserted in the same transaction as the write it describes, so it exists
-- exactly when the write happened.
create table idempotency_keys (
  scope       text        not null,
  key         text        not null,
  fingerprint text        not null,
  status      integer     not null,
  body        jsonb,
  created_at  timestamptz not null default now(),
  primary key (scope, key)
);

-- For purging old keys.
create index idempotency_keys_created_at on idempotency_keys (created_at);
