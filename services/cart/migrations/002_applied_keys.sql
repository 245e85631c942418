-- The Idempotency-Keys of a cart's recent additions, kept with the cart so a key and the change it
-- guards commit together (src/domain/applied-keys.ts): [{key, fingerprint, at}], oldest first.
ALTER TABLE carts ADD COLUMN applied_keys jsonb NOT NULL DEFAULT '[]'::jsonb;
