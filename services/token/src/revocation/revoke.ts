// Ending sessions. Each revocation is, in one transaction: the sessions marked ended, an entry in
// the revocation log (what verifiers poll to refuse live access tokens), and
// token.sessions_revoked.v1 in the outbox.
import { type EventData, TokenSessionsRevokedV1 } from '@shopnow/contracts';
import type { Events } from '@shopnow/events';
import type pg from 'pg';
import { REVOCATION_LIFETIME_MS, USER_REVOCATION_MARGIN_MS } from '../domain/lifetimes.ts';
import { insertRevocation } from '../store/revocations.ts';
import { endAllSessions, endSession } from '../store/sessions.ts';

export type RevocationReason = EventData<typeof TokenSessionsRevokedV1>['reason'];

/** Ends one session of `userId`; false (and nothing written) when it is not a live session of theirs. */
export async function revokeSession(
  tx: pg.PoolClient,
  events: Events,
  target: { userId: string; sessionId: string; reason: RevocationReason },
): Promise<boolean> {
  const now = new Date();
  if (!(await endSession(tx, target.sessionId, target.userId, target.reason, now))) return false;
  await insertRevocation(tx, {
    sessionId: target.sessionId,
    expiresAt: new Date(now.getTime() + REVOCATION_LIFETIME_MS),
  });
  await events.publish(tx, TokenSessionsRevokedV1, {
    subject: target.userId,
    data: { userId: target.userId, sessionId: target.sessionId, all: false, reason: target.reason },
  });
  return true;
}

/**
 * Ends every session of `userId` started before `asOf` (default now), and refuses every access
 * token issued to them before `asOf` + 1 s (session and API-key tokens alike). An event handler
 * passes the event's time, so a session started after a password change but before its event
 * arrived here survives.
 */
export async function revokeUser(
  tx: pg.PoolClient,
  events: Events,
  target: { userId: string; reason: RevocationReason; asOf?: Date },
): Promise<number> {
  const now = new Date();
  const asOf = target.asOf !== undefined && target.asOf < now ? target.asOf : now;
  const ended = await endAllSessions(tx, target.userId, target.reason, asOf, now);
  await insertRevocation(tx, {
    userId: target.userId,
    notBefore: new Date(asOf.getTime() + USER_REVOCATION_MARGIN_MS),
    expiresAt: new Date(now.getTime() + REVOCATION_LIFETIME_MS),
  });
  await events.publish(tx, TokenSessionsRevokedV1, {
    subject: target.userId,
    data: { userId: target.userId, all: true, reason: target.reason },
  });
  return ended;
}
