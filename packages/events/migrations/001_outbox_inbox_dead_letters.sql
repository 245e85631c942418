-- The event backbone's tables, in every service database that publishes or consumes events.

-- Events written in the same transaction as the change they describe; the relay forwards them.
create table outbox (
  seq        bigserial   primary key,
  id         uuid        not null unique,
  type       text        not null,
  subject    text        not null,
  -- The whole envelope as JSON text, exactly the bytes that go on the wire.
  body       text        not null,
  created_at timestamptz not null default now(),
  sent_at    timestamptz,
  attempts   integer     not null default 0,
  last_error text
);
create index outbox_pending on outbox (seq) where sent_at is null;
create index outbox_sent on outbox (sent_at) where sent_at is not null;

-- Wakes the relay at commit (NOTIFY is transactional): one notification per inserting statement,
-- and Postgres folds identical ones of a transaction into one; no extra round trip for publishers.
create function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('shopnow_outbox', '');
  return null;
end $$;
create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();

-- Events a consumer group has applied, written in the handler's transaction: a redelivery finds
-- its id here and is acknowledged without running the handler again.
create table inbox (
  consumer_group text        not null,
  event_id       text        not null,
  event_type     text        not null,
  handled_at     timestamptz not null default now(),
  primary key (consumer_group, event_id)
);
create index inbox_handled_at on inbox (handled_at);

-- Deliveries a consumer group gave up on, with the reason, until replayed or discarded.
create table event_dead_letters (
  id             bigserial   primary key,
  consumer_group text        not null,
  -- Null when the message could not be read as an envelope at all.
  event_id       text,
  event_type     text,
  payload        text        not null,
  error          text        not null,
  attempts       integer     not null,
  failed_at      timestamptz not null default now(),
  replayed_at    timestamptz
);
create index event_dead_letters_pending on event_dead_letters (consumer_group, id) where replayed_at is null;
