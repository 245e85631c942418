-- When the fact behind a message happened (its event's time). The inbox lists by it: messages are
-- taken in and prepared concurrently, so the order they are stored in is not the order they happened.
ALTER TABLE messages ADD COLUMN occurred_at timestamptz(3);
UPDATE messages SET occurred_at = created_at;
ALTER TABLE messages ALTER COLUMN occurred_at SET DEFAULT now(), ALTER COLUMN occurred_at SET NOT NULL;
