// Every write runs in one transaction; with an Idempotency-Key header it runs through
// withIdempotency (repeat → first result, different request → 422, in flight → 409).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { withTransaction } from './db/pool.ts';
import { requestFingerprint, type StoredResponse, withIdempotency } from './idempotency.ts';

/**
 * Runs `write` once per Idempotency-Key within `scope` (e.g. "product-admin", "reviews:<user>"):
 * the fingerprint covers method, route, params and body, so a reused key with another request is
 * refused. A replay is marked with `Idempotent-Replayed: true`.
 */
export async function runWrite<B>(
  db: pg.Pool,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  write: (tx: pg.PoolClient) => Promise<StoredResponse<B>>,
): Promise<StoredResponse<B>> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') return withTransaction(db, write);
  const fingerprint = requestFingerprint(
    request.method,
    request.routeOptions.url,
    request.params,
    request.body,
  );
  const result = await withIdempotency(db, { scope, key, fingerprint }, write);
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return { status: result.status, body: result.body };
}
