import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from './db/pool.ts';
import { AppError, commonErrors } from './errors.ts';

export interface IdempotencyKey {
  /** What the key is unique within, e.g. `product.create` or `admin:product.update`. */
  scope: string;
  /** The client's Idempotency-Key header. */
  key: string;
  /** Digest of the request (see requestFingerprint): the same key must come with the same request. */
  fingerprint: string;
}

export interface StoredResponse<B = unknown> {
  status: number;
  body: B;
}

export interface IdempotentResponse<B = unknown> extends StoredResponse<B> {
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

/**
 * Runs a write at most once per key. `run` gets the transaction's client: its write and
 * the stored response commit together, so a crash leaves either both or neither, and a
 * failed write (thrown error) stores nothing, letting the client retry with the same key.
 * A second request with the key while the first is still running gets 409 at once
 * rather than queueing behind it; the same key with a different request gets 422.
 */
export async function withIdempotency<B>(
  pool: pg.Pool,
  idempotency: IdempotencyKey,
  run: (client: pg.PoolClient) => Promise<StoredResponse<B>>,
): Promise<IdempotentResponse<B>> {
  const { scope, key, fingerprint } = idempotency;
  return withTransaction(pool, async (client) => {
    // Held until commit; the row it guards becomes visible before the lock is released.
    const lock = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as locked',
      [JSON.stringify(['idempotency', scope, key])],
    );
    if (!lock.rows[0]?.locked) {
      throw new AppError(
        commonErrors.idempotency_in_progress,
        'A request with this Idempotency-Key is in progress',
      );
    }

    const stored = await client.query<{ fingerprint: string; status: number; body: B }>(
      'select fingerprint, status, body from idempotency_keys where scope = $1 and key = $2',
      [scope, key],
    );
    const previous = stored.rows[0];
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        throw new AppError(
          commonErrors.idempotency_key_mismatch,
          'This Idempotency-Key was already used with a different request',
        );
      }
      return { status: previous.status, body: previous.body, replayed: true };
    }

    const response = await run(client);
    await client.query(
      'insert into idempotency_keys (scope, key, fingerprint, status, body) values ($1, $2, $3, $4, $5)',
      // Serialised by hand: pg would turn a top-level array into a Postgres array, not JSON.
      [scope, key, fingerprint, response.status, JSON.stringify(response.body ?? null)],
    );
    return { ...response, replayed: false };
  });
}

/** A stable digest of request parts (method, path, body...): object key order does not matter. */
export function requestFingerprint(...parts: unknown[]): string {
  return createHash('sha256').update(stableJson(parts)).digest('base64url');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Deletes stored responses older than maxAgeMs (clients may only retry within that window). */
export async function purgeIdempotencyKeys(pool: pg.Pool, maxAgeMs: number): Promise<number> {
  const result = await pool.query(
    'delete from idempotency_keys where created_at < now() - make_interval(secs => $1::double precision / 1000)',
    [maxAgeMs],
  );
  return result.rowCount ?? 0;
}
