// The revocation log verifiers poll. Inserts take one advisory lock held until commit, so rows
// commit in seq order: a poller that has seen seq n never misses a row < n committed later.
import type { RevocationEntry } from '@shopnow/contracts';
import type { Queryable } from './db.ts';

const REVOCATIONS_LOCK = 7_391_004_302;
export const MAX_REVOCATIONS_PAGE = 1000;

export type NewRevocation =
  | { sessionId: string; expiresAt: Date }
  | { userId: string; notBefore: Date; expiresAt: Date };

export async function insertRevocation(tx: Queryable, entry: NewRevocation): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [REVOCATIONS_LOCK]);
  await tx.query(
    'insert into revocations (session_id, user_id, not_before, expires_at) values ($1, $2, $3, $4)',
    'sessionId' in entry
      ? [entry.sessionId, null, null, entry.expiresAt]
      : [null, entry.userId, entry.notBefore, entry.expiresAt],
  );
}

/**
 * Unexpired entries after `after`, oldest first, and the seq to ask after next time: the last
 * entry's when the page is full, else the newest seq there is (expired rows are skipped for good).
 * One statement, so the newest seq and the entries come from one snapshot.
 */
export async function revocationsAfter(
  db: Queryable,
  after: number,
  now: Date,
  limit = MAX_REVOCATIONS_PAGE,
): Promise<{ entries: RevocationEntry[]; lastSeq: number }> {
  const { rows } = await db.query(
    `select newest.seq as newest, r.seq, r.session_id, r.user_id, r.not_before, r.expires_at
       from (select coalesce(max(seq), 0) as seq from revocations) newest
       left join lateral (
         select seq, session_id, user_id, not_before, expires_at from revocations
          where seq > $1 and expires_at > $2 order by seq limit $3
       ) r on true
      order by r.seq`,
    [after, now, limit],
  );
  const newest = Number(rows[0]?.newest ?? 0);
  const entries: RevocationEntry[] = rows
    .filter((row) => row.seq !== null)
    .map((row) => ({
      seq: Number(row.seq),
      ...(row.session_id === null ? {} : { sessionId: row.session_id }),
      ...(row.user_id === null ? {} : { userId: row.user_id, notBefore: row.not_before.toISOString() }),
      expiresAt: row.expires_at.toISOString(),
    }));
  const full = entries.length === limit;
  return { entries, lastSeq: full ? (entries[entries.length - 1]?.seq ?? after) : Math.max(after, newest) };
}
