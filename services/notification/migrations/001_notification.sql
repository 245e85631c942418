-- Notification: who can be reached (a projection of the identity events), every message made from
-- an event (the outbox of emails: stored before anything is sent), and the users' in-app inbox.
-- Timestamps keep millisecond precision so a JavaScript Date round-trips them exactly.

-- userId → email and display name, from auth.user_registered.v1 and the other auth events (order
-- and shipping events carry only the user id).
CREATE TABLE recipients (
  user_id      uuid PRIMARY KEY,
  email        text NOT NULL,
  display_name text,
  verified_at  timestamptz(3),
  updated_at   timestamptz(3) NOT NULL DEFAULT now()
);

-- One row per (event, recipient, kind): dedupe_key is UNIQUE, so a redelivered event (or one
-- replayed from a dead letter) never makes a second message. The row is also the durable retry:
-- the sender takes it when next_attempt_at is due (SKIP LOCKED, so replicas share the work).
CREATE TABLE messages (
  id              uuid PRIMARY KEY,
  dedupe_key      text NOT NULL UNIQUE,
  kind            text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,63}$'),
  category        text NOT NULL CHECK (category IN ('account', 'order', 'shipping', 'marketing')),
  user_id         uuid,
  -- Known at intake for account messages (the event carries it), else resolved from recipients.
  to_email        text,
  -- What the template needs, as the event gave it.
  params          jsonb NOT NULL,
  source_event_id   text NOT NULL,
  source_event_type text NOT NULL,
  -- pending: to be prepared (recipient, preferences, rendering); queued: rendered, the email is
  -- to be sent; sent: the SMTP server accepted it; stored: rendered and kept, no SMTP_URL set;
  -- skipped: no email for it (preferences), see skip_reason; dead: given up, see last_error.
  status          text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'queued', 'sent', 'stored', 'skipped', 'dead')),
  locale          text,
  subject         text,
  html            text,
  text_body       text,
  skip_reason     text,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz(3),
  last_error      text,
  smtp_response   text,
  sent_at         timestamptz(3),
  dead_at         timestamptz(3),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((status IN ('pending', 'queued')) = (next_attempt_at IS NOT NULL)),
  CHECK (status IN ('pending', 'skipped', 'dead') OR (subject IS NOT NULL AND html IS NOT NULL AND text_body IS NOT NULL)),
  CHECK (user_id IS NOT NULL OR to_email IS NOT NULL)
);
-- The sender's scan: work still to do, by when it is due.
CREATE INDEX messages_due_idx ON messages (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
-- The developer mailbox and the admin list, newest first.
CREATE INDEX messages_created_idx ON messages (created_at DESC, id DESC);
CREATE INDEX messages_dead_idx ON messages (dead_at DESC, id DESC) WHERE status = 'dead';

-- The in-app inbox: what a user reads in the shop, one entry per message that goes there.
CREATE TABLE inbox_items (
  id          uuid PRIMARY KEY,
  message_id  uuid NOT NULL UNIQUE REFERENCES messages (id),
  user_id     uuid NOT NULL,
  kind        text NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  link        text,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  read_at     timestamptz(3)
);
CREATE INDEX inbox_items_user_idx ON inbox_items (user_id, created_at DESC, id DESC);
CREATE INDEX inbox_items_unread_idx ON inbox_items (user_id) WHERE read_at IS NULL;

-- orderId → userId, from the order events: payment.refunded.v1 names only the order.
CREATE TABLE order_owners (
  order_id uuid PRIMARY KEY,
  user_id  uuid NOT NULL
);
