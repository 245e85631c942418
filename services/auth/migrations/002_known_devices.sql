-- The devices an account has signed in from, to tell its owner about a sign-in from a new one.
-- A device is a fingerprint of the User-Agent's browser family, OS family and device type
-- (SHA-256, hex); the raw User-Agent and the full address are never stored, only a label such as
-- "Firefox on Linux" and the network (IPv4 /24, IPv6 /48) of the latest sign-in. At most 20 per
-- account (the newest by last sign-in); an older one is forgotten and counts as new again.
create table known_devices (
  account_id     uuid        not null references accounts (id) on delete cascade,
  fingerprint    text        not null check (fingerprint ~ '^[0-9a-f]{64}$'),
  label          text        not null check (char_length(label) between 1 and 100),
  first_seen_at  timestamptz not null,
  last_seen_at   timestamptz not null,
  last_ip_prefix text        check (char_length(last_ip_prefix) <= 64),
  primary key (account_id, fingerprint)
);
create index known_devices_newest on known_devices (account_id, last_seen_at desc);
