// Refresh-token rotation with reuse detection (OAuth 2.0 Security BCP §4.14). Each refresh
// replaces the presented token; presenting a replaced token again means it was copied, so the
// whole family is revoked, unless it was replaced within the grace window (the same client
// refreshing twice at once: answered 409, nothing revoked).
import { AppError, withTransaction } from '@shopnow/chassis';
import { decideRefresh } from '../domain/refresh-decision.ts';
import { digest, newSecret } from '../domain/secrets.ts';
import { tokenErrors } from '../errors.ts';
import type { RouteDeps } from '../http/deps.ts';
import { revokeSession } from '../revocation/revoke.ts';
import { insertRefreshToken, lockRefreshToken, markRotated, touchSession } from '../store/sessions.ts';
import { findSubject, type Subject } from '../store/subjects.ts';
import { pairFor, type TokenPair } from './issue-session.ts';

type Outcome =
  | { kind: 'rotated'; subject: Subject; sessionId: string; refreshToken: string }
  | { kind: 'invalid' | 'superseded' | 'reused' | 'suspended' };

export async function refreshSession(deps: RouteDeps, presented: string): Promise<TokenPair> {
  const hash = digest(presented);
  const outcome = await withTransaction(deps.db, async (tx): Promise<Outcome> => {
    const token = await lockRefreshToken(tx, hash);
    if (token === undefined) return { kind: 'invalid' };
    const now = new Date();
    const { session } = token;
    const decision = decideRefresh({ rotatedAt: token.rotatedAt, session }, now, deps.refreshGraceMs);
    if (decision.kind === 'session_ended') return { kind: 'invalid' };
    if (decision.kind === 'superseded') return { kind: 'superseded' };
    if (decision.kind === 'reuse') {
      await revokeSession(tx, deps.events, {
        userId: session.userId,
        sessionId: session.id,
        reason: 'refresh_token_reuse',
      });
      return { kind: 'reused' };
    }
    const subject = await findSubject(tx, session.userId);
    if (subject.status === 'suspended') return { kind: 'suspended' };
    const refreshToken = newSecret();
    await markRotated(tx, hash, now);
    await insertRefreshToken(tx, session.id, digest(refreshToken), now);
    await touchSession(tx, session.id, now);
    return { kind: 'rotated', subject, sessionId: session.id, refreshToken };
  });
  switch (outcome.kind) {
    case 'rotated':
      return pairFor(deps.minter, outcome.subject, outcome.sessionId, outcome.refreshToken);
    case 'superseded':
      throw new AppError(tokenErrors['token.refresh_superseded']);
    case 'suspended':
      throw new AppError(tokenErrors['token.subject_suspended']);
    case 'reused':
      // Committed above; refuse this family's access tokens here at once, too.
      await deps.revocations.reload();
      throw new AppError(tokenErrors['token.refresh_invalid']);
    default:
      throw new AppError(tokenErrors['token.refresh_invalid']);
  }
}
