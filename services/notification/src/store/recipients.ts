// SQL of the recipients projection: who a user id is, by email, from the auth events.
import type { Queryable } from './db.ts';

export interface Recipient {
  userId: string;
  email: string;
  displayName: string | null;
}

/** Records the email (and the name, when the event gives one; a known name is kept otherwise). */
export async function upsertRecipient(
  db: Queryable,
  r: { userId: string; email: string; displayName?: string | undefined; verified?: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO recipients (user_id, email, display_name, verified_at)
     VALUES ($1, $2, $3, CASE WHEN $4 THEN now() END)
     ON CONFLICT (user_id) DO UPDATE SET
       email = EXCLUDED.email,
       display_name = coalesce(EXCLUDED.display_name, recipients.display_name),
       verified_at = coalesce(recipients.verified_at, EXCLUDED.verified_at),
       updated_at = now()`,
    [r.userId, r.email, r.displayName ?? null, r.verified === true],
  );
}

export async function findRecipient(db: Queryable, userId: string): Promise<Recipient | undefined> {
  const { rows } = await db.query<Recipient>(
    `SELECT user_id AS "userId", email, display_name AS "displayName" FROM recipients WHERE user_id = $1`,
    [userId],
  );
  return rows[0];
}
