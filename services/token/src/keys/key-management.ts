// Creating and rotating signing keys (start-up and the `rotate-keys` admin command).
import { withTransaction } from '@shopnow/chassis';
import { ACCESS_TOKEN_ALGORITHM } from '@shopnow/contracts';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type pg from 'pg';
import type { Queryable } from '../store/db.ts';
import {
  countActiveKeys,
  insertSigningKey,
  lockSigningKeys,
  retireActiveKeys,
} from '../store/signing-keys.ts';

/** A fresh Ed25519 key; its kid is the RFC 7638 thumbprint of its public half. */
async function createKey(tx: Queryable, now: Date): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, {
    crv: 'Ed25519',
    extractable: true,
  });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  await insertSigningKey(tx, { kid, privateJwk: await exportJWK(privateKey), publicJwk, createdAt: now });
  return kid;
}

/** Creates a key when none is active; returns the new kid, or undefined when one existed. */
export function ensureActiveKey(db: pg.Pool): Promise<string | undefined> {
  return withTransaction(db, async (tx) => {
    await lockSigningKeys(tx);
    if ((await countActiveKeys(tx)) > 0) return undefined;
    return createKey(tx, new Date());
  });
}

/** A new key signs from now on; the previous ones are retired (still published for a while). */
export function rotateKeys(db: pg.Pool): Promise<{ kid: string; retired: string[] }> {
  return withTransaction(db, async (tx) => {
    await lockSigningKeys(tx);
    const now = new Date();
    const retired = await retireActiveKeys(tx, now);
    const kid = await createKey(tx, now);
    return { kid, retired };
  });
}
