// The idempotency scope of a profile write.
import type { FastifyRequest } from 'fastify';

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
