// Single-use tokens (email verification and password reset), stored as SHA-256 hashes. Using one
// marks it used in the caller's transaction, so a token works at most once even when two
// requests race (the UPDATE's row lock decides).
import type { Queryable } from './db.ts';

export type TokenTable = 'email_verification_tokens' | 'password_reset_tokens';

export async function insertToken(
  db: Queryable,
  table: TokenTable,
  token: { hash: Buffer; accountId: string; expiresAt: Date },
): Promise<void> {
  await db.query(`INSERT INTO ${table} (token_hash, account_id, expires_at) VALUES ($1, $2, $3)`, [
    token.hash,
    token.accountId,
    token.expiresAt,
  ]);
}

/** The account of a live token (unused, unexpired at `now`), locked for the caller's transaction. */
export async function findLiveToken(
  db: Queryable,
  table: TokenTable,
  hash: Buffer,
  now: Date,
): Promise<string | undefined> {
  const { rows } = await db.query<{ accountId: string }>(
    `SELECT account_id AS "accountId" FROM ${table}
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 FOR UPDATE`,
    [hash, now],
  );
  return rows[0]?.accountId;
}

/** Spends a live token: its account, or undefined when the token is unknown, used or expired. */
export async function useToken(
  db: Queryable,
  table: TokenTable,
  hash: Buffer,
  now: Date,
): Promise<string | undefined> {
  const { rows } = await db.query<{ accountId: string }>(
    `UPDATE ${table} SET used_at = $2
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id AS "accountId"`,
    [hash, now],
  );
  return rows[0]?.accountId;
}

/** Drops the account's unused tokens (a newer request, or a password already changed). */
export async function deleteUnusedTokens(db: Queryable, table: TokenTable, accountId: string): Promise<void> {
  await db.query(`DELETE FROM ${table} WHERE account_id = $1 AND used_at IS NULL`, [accountId]);
}
