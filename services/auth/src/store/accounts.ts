// The accounts table: one row per normalised email.
import type { Queryable } from './db.ts';

export interface Account {
  id: string;
  email: string;
  passwordHash: string;
  emailVerifiedAt: Date | null;
}

const COLUMNS = 'id, email, password_hash AS "passwordHash", email_verified_at AS "emailVerifiedAt"';

/** Inserts the account unless the email is taken; undefined when it was. */
export async function insertAccount(
  db: Queryable,
  account: { id: string; email: string; passwordHash: string; verifiedAt: Date | null },
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO accounts (id, email, password_hash, email_verified_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (email) DO NOTHING RETURNING id`,
    [account.id, account.email, account.passwordHash, account.verifiedAt],
  );
  return rows[0]?.id;
}

export async function findAccountByEmail(db: Queryable, email: string): Promise<Account | undefined> {
  const { rows } = await db.query<Account>(`SELECT ${COLUMNS} FROM accounts WHERE email = $1`, [email]);
  return rows[0];
}

export async function findAccountById(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Account | undefined> {
  const { rows } = await db.query<Account>(
    `SELECT ${COLUMNS} FROM accounts WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function setPasswordHash(db: Queryable, id: string, passwordHash: string): Promise<void> {
  await db.query('UPDATE accounts SET password_hash = $2, password_changed_at = now() WHERE id = $1', [
    id,
    passwordHash,
  ]);
}

/** Marks the email verified (once); the returned account is the one verified. */
export async function markEmailVerified(db: Queryable, id: string): Promise<Account | undefined> {
  const { rows } = await db.query<Account>(
    `UPDATE accounts SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0];
}
