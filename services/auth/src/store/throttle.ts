// Rows of the login throttle (see domain/throttle.ts for the rules).
import type { ThrottleState } from '../domain/throttle.ts';
import type { Queryable } from './db.ts';

const COLUMNS = `failures, first_failure_at AS "firstFailureAt", last_failure_at AS "lastFailureAt",
  blocked_until AS "blockedUntil"`;

export async function readThrottle(db: Queryable, key: string): Promise<ThrottleState | undefined> {
  const { rows } = await db.query<ThrottleState>(`SELECT ${COLUMNS} FROM login_throttle WHERE key = $1`, [
    key,
  ]);
  return rows[0];
}

/**
 * Locks the key's row for the caller's transaction (creating an empty one if needed), so the
 * login attempts of one account run one after another: parallel guesses cannot all slip in
 * before the first failure is counted.
 */
export async function lockThrottle(
  db: Queryable,
  key: string,
  now: Date,
): Promise<ThrottleState | undefined> {
  await db.query(
    `INSERT INTO login_throttle (key, failures, first_failure_at, last_failure_at)
     VALUES ($1, 0, $2, $2) ON CONFLICT (key) DO NOTHING`,
    [key, now],
  );
  const { rows } = await db.query<ThrottleState>(
    `SELECT ${COLUMNS} FROM login_throttle WHERE key = $1 FOR UPDATE`,
    [key],
  );
  const state = rows[0];
  return state === undefined || state.failures === 0 ? undefined : state;
}

export async function writeThrottle(db: Queryable, key: string, state: ThrottleState): Promise<void> {
  await db.query(
    `INSERT INTO login_throttle (key, failures, first_failure_at, last_failure_at, blocked_until)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key) DO UPDATE SET failures = $2, first_failure_at = $3, last_failure_at = $4, blocked_until = $5`,
    [key, state.failures, state.firstFailureAt, state.lastFailureAt, state.blockedUntil],
  );
}

export async function clearThrottle(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}
