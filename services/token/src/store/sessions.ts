// Sessions (refresh-token families) and their refresh tokens, stored as digests only.
import type { Queryable } from './db.ts';

export interface SessionRow {
  id: string;
  userId: string;
  userAgent: string | undefined;
  ip: string | undefined;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | undefined;
}

function toSession(row: Record<string, unknown>): SessionRow {
  return {
    id: row.id as string,
    userId: row.user_id as string,
    userAgent: (row.user_agent as string | null) ?? undefined,
    ip: (row.ip as string | null) ?? undefined,
    createdAt: row.created_at as Date,
    lastUsedAt: row.last_used_at as Date,
    expiresAt: row.expires_at as Date,
    revokedAt: (row.revoked_at as Date | null) ?? undefined,
  };
}

const SESSION_COLUMNS =
  's.id, s.user_id, s.user_agent, s.ip, s.created_at, s.last_used_at, s.expires_at, s.revoked_at';

export async function insertSession(
  tx: Queryable,
  session: {
    id: string;
    userId: string;
    userAgent?: string | undefined;
    ip?: string | undefined;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await tx.query(
    `insert into sessions (id, user_id, user_agent, ip, created_at, last_used_at, expires_at)
     values ($1, $2, $3, $4, $5, $5, $6)`,
    [
      session.id,
      session.userId,
      session.userAgent ?? null,
      session.ip ?? null,
      session.now,
      session.expiresAt,
    ],
  );
}

export async function insertRefreshToken(
  tx: Queryable,
  sessionId: string,
  hash: Buffer,
  now: Date,
): Promise<void> {
  await tx.query('insert into refresh_tokens (token_hash, session_id, issued_at) values ($1, $2, $3)', [
    hash,
    sessionId,
    now,
  ]);
}

export interface PresentedRefreshToken {
  rotatedAt: Date | undefined;
  session: SessionRow;
}

/**
 * The token and its session, both locked until the transaction ends: of two refreshes of one
 * token, the second waits here and then sees the token already rotated.
 */
export async function lockRefreshToken(
  tx: Queryable,
  hash: Buffer,
): Promise<PresentedRefreshToken | undefined> {
  const { rows } = await tx.query(
    `select rt.rotated_at, ${SESSION_COLUMNS}
       from refresh_tokens rt join sessions s on s.id = rt.session_id
      where rt.token_hash = $1
      for update of rt, s`,
    [hash],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return { rotatedAt: row.rotated_at ?? undefined, session: toSession(row) };
}

export async function markRotated(tx: Queryable, hash: Buffer, now: Date): Promise<void> {
  await tx.query('update refresh_tokens set rotated_at = $2 where token_hash = $1', [hash, now]);
}

export async function touchSession(tx: Queryable, sessionId: string, now: Date): Promise<void> {
  await tx.query('update sessions set last_used_at = $2 where id = $1', [sessionId, now]);
}

/** The user's live sessions, most recently used first. */
export async function listLiveSessions(db: Queryable, userId: string, now: Date): Promise<SessionRow[]> {
  const { rows } = await db.query(
    `select ${SESSION_COLUMNS} from sessions s
      where s.user_id = $1 and s.revoked_at is null and s.expires_at > $2
      order by s.last_used_at desc, s.id`,
    [userId, now],
  );
  return rows.map(toSession);
}

/** Ends one session of `userId`; false when there is no such live session of theirs. */
export async function endSession(
  tx: Queryable,
  sessionId: string,
  userId: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `update sessions set revoked_at = $3, revoked_reason = $4
      where id = $1 and user_id = $2 and revoked_at is null`,
    [sessionId, userId, now, reason],
  );
  return rowCount === 1;
}

/** Ends every live session of `userId` started before `startedBefore`; returns how many. */
export async function endAllSessions(
  tx: Queryable,
  userId: string,
  reason: string,
  startedBefore: Date,
  now: Date,
): Promise<number> {
  const { rowCount } = await tx.query(
    `update sessions set revoked_at = $2, revoked_reason = $3
      where user_id = $1 and revoked_at is null and created_at <= $4`,
    [userId, now, reason, startedBefore],
  );
  return rowCount ?? 0;
}
