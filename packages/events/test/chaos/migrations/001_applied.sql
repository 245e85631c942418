-- What the chaos test's handlers apply: one row per handler run that committed. Deliberately no
-- unique constraint on the event id, so an event applied twice shows as two rows.
create table applied (
  consumer_group text        not null,
  event_id       text        not null,
  n              integer     not null,
  instance       text        not null,
  applied_at     timestamptz not null default now()
);
