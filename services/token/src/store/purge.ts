// Forgetting what can no longer matter: revocation entries whose tokens have all expired, and
// sessions over for a day (their refresh tokens go with them; a token of a forgotten session is
// simply unknown, still a 401).
import type { Queryable } from './db.ts';

const ENDED_SESSION_KEPT_MS = 24 * 60 * 60 * 1000;

export async function purgeExpired(
  db: Queryable,
  now: Date,
): Promise<{ revocations: number; sessions: number }> {
  const revocations = await db.query('delete from revocations where expires_at <= $1', [now]);
  const before = new Date(now.getTime() - ENDED_SESSION_KEPT_MS);
  const sessions = await db.query('delete from sessions where expires_at <= $1 or revoked_at <= $1', [
    before,
  ]);
  return { revocations: revocations.rowCount ?? 0, sessions: sessions.rowCount ?? 0 };
}
