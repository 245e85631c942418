// Signing keys in the database, so every replica signs with the same key and a rotation by the
// admin command reaches them all. Writes hold one advisory lock: two replicas starting at once
// create one key, not two.
import type { JWK } from 'jose';
import type { Queryable } from './db.ts';

export interface SigningKeyRow {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | undefined;
}

const KEYS_LOCK = 7_391_004_301;

export async function lockSigningKeys(tx: Queryable): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [KEYS_LOCK]);
}

/** Active keys and those retired after `retiredSince` (older ones are never needed again). */
export async function loadSigningKeys(db: Queryable, retiredSince: Date): Promise<SigningKeyRow[]> {
  const { rows } = await db.query(
    `select kid, private_jwk, public_jwk, created_at, retired_at from signing_keys
      where retired_at is null or retired_at > $1 order by created_at desc`,
    [retiredSince],
  );
  return rows.map((row) => ({
    kid: row.kid,
    privateJwk: row.private_jwk,
    publicJwk: row.public_jwk,
    createdAt: row.created_at,
    retiredAt: row.retired_at ?? undefined,
  }));
}

export async function countActiveKeys(tx: Queryable): Promise<number> {
  const { rows } = await tx.query('select count(*)::int as n from signing_keys where retired_at is null');
  return rows[0].n;
}

export async function insertSigningKey(
  tx: Queryable,
  key: { kid: string; privateJwk: JWK; publicJwk: JWK; createdAt: Date },
): Promise<void> {
  await tx.query(
    'insert into signing_keys (kid, private_jwk, public_jwk, created_at) values ($1, $2, $3, $4)',
    [key.kid, key.privateJwk, key.publicJwk, key.createdAt],
  );
}

/** Retires every active key; returns their kids. */
export async function retireActiveKeys(tx: Queryable, at: Date): Promise<string[]> {
  const { rows } = await tx.query(
    'update signing_keys set retired_at = $1 where retired_at is null returning kid',
    [at],
  );
  return rows.map((row) => row.kid);
}
