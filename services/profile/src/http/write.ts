// Every write runs in one transaction; with an Idempotency-Key header it runs through the
// chassis's withIdempotency (repeat → first result, different request → 422, in flight → 409).
import { requestFingerprint, type StoredResponse, withIdempotency, withTransaction } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';

/**
 * Runs `write` once per Idempotency-Key within `scope` ("profile:<user id>"):
 * the fingerprint covers method, route, params and body, so a reused key with another
 * request is refused. A replay is marked with `Idempotent-Replayed: true`.
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

/** Idempotency keys are the caller's own, per profile: two callers never share a key space. */
export function writeScope(request: FastifyRequest): string {
  const identity = request.identity;
  const caller =
    identity === undefined
      ? 'anonymous'
      : identity.kind === 'user'
        ? identity.userId
        : `service:${identity.service}`;
  return `profile:${request.profileUserId ?? ''}:${caller}`;
}
