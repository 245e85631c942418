// Housekeeping: throttle rows that no longer count and tokens that can no longer be used grow
// without bound otherwise (an attacker spraying unknown emails adds a row per email).
import type { Queryable } from './db.ts';

export interface PurgeResult {
  throttleRows: number;
  tokens: number;
}

/** Deletes throttle rows quiet for `quietMs` and not blocking, and tokens used or expired a day ago. */
export async function purgeStale(db: Queryable, now: Date, quietMs: number): Promise<PurgeResult> {
  const quietSince = new Date(now.getTime() - quietMs);
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60_000);
  const throttle = await db.query(
    `DELETE FROM login_throttle
     WHERE last_failure_at < $1 AND (blocked_until IS NULL OR blocked_until < $2)`,
    [quietSince, now],
  );
  let tokens = 0;
  for (const table of ['email_verification_tokens', 'password_reset_tokens']) {
    const res = await db.query(`DELETE FROM ${table} WHERE expires_at < $1 OR used_at < $1`, [dayAgo]);
    tokens += res.rowCount ?? 0;
  }
  return { throttleRows: throttle.rowCount ?? 0, tokens };
}
