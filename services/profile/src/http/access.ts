// Who may touch /profiles/:userId/…, decided before the body is even parsed, for every route:
//   the owner (or `me`)         → everything
//   a user with role admin      → everything, on anyone
//   a user with role support    → reads anyone's; writes to another's profile → 403
//   a service token             → reads (order and shipping read an address); writes → 403
//   any other user              → 404, the same answer as for an id nobody has, so a stranger
//                                 cannot learn whether a user or an address exists.
// The resolved user id is left on the request for the handler (`profileUserOf`).
import { AppError, hasRole, requireCaller } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound, profileErrors } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The user whose profile the request addresses, once access was granted. */
    profileUserId: string | undefined;
  }
}

export const ME = 'me';
const READS = new Set(['GET', 'HEAD']);

export async function authorizeProfileAccess(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireCaller(request, reply);
  const identity = request.identity;
  if (identity === undefined) return; // requireCaller has thrown
  const requested = String((request.params as { userId?: unknown }).userId ?? '').toLowerCase();
  const read = READS.has(request.method);
  if (identity.kind === 'service') {
    if (requested === ME) throw notFound(); // a service has no profile of its own
    if (!read) throw readOnly('Service tokens may only read profiles');
    request.profileUserId = requested;
    return;
  }
  const target = requested === ME ? identity.userId.toLowerCase() : requested;
  const owner = target === identity.userId.toLowerCase();
  if (owner || hasRole(identity, 'admin')) {
    request.profileUserId = target;
    return;
  }
  if (hasRole(identity, 'support')) {
    if (!read) throw readOnly('Support may read profiles but not change them');
    request.profileUserId = target;
    return;
  }
  throw notFound();
}

/** The user id the access check resolved (`me` already replaced). */
export function profileUserOf(request: FastifyRequest): string {
  const userId = request.profileUserId;
  if (userId === undefined) throw new Error('profile route registered without authorizeProfileAccess');
  return userId;
}

/** Whether the caller is the profile's owner (lazy creation of preferences happens only then). */
export function isOwner(request: FastifyRequest): boolean {
  const identity = request.identity;
  return identity?.kind === 'user' && identity.userId.toLowerCase() === request.profileUserId;
}

function readOnly(detail: string): AppError {
  return new AppError(profileErrors['profile.read_only'], detail);
}
