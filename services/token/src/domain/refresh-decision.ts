// What presenting a refresh token means, from the stored state of the token and its session.
import { REFRESH_REUSE_GRACE_MS } from './lifetimes.ts';

export interface PresentedToken {
  /** When this token was replaced by a newer one of its family; undefined while it is current. */
  rotatedAt: Date | undefined;
  session: { expiresAt: Date; revokedAt: Date | undefined };
}

export type RefreshDecision =
  /** The current token of a live session: rotate it. */
  | { kind: 'rotate' }
  /** The session is over (revoked or past its absolute lifetime). */
  | { kind: 'session_ended' }
  /** Rotated moments ago: most likely the same client refreshing twice at once. Revoke nothing. */
  | { kind: 'superseded' }
  /** Rotated long ago: someone kept an old token (theft). Revoke the whole family. */
  | { kind: 'reuse' };

export function decideRefresh(
  token: PresentedToken,
  now: Date,
  graceMs: number = REFRESH_REUSE_GRACE_MS,
): RefreshDecision {
  if (token.session.revokedAt !== undefined || token.session.expiresAt <= now)
    return { kind: 'session_ended' };
  if (token.rotatedAt === undefined) return { kind: 'rotate' };
  return now.getTime() - token.rotatedAt.getTime() <= graceMs ? { kind: 'superseded' } : { kind: 'reuse' };
}
