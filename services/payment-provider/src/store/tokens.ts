// Card tokens: what is kept of a card (never its number or CVC) and whether it was used.
import type { Brand } from '../domain/brand.ts';
import type { Outcome } from '../domain/test-cards.ts';
import type { Queryable } from './db.ts';

export interface TokenRow {
  id: string;
  brand: Brand;
  last4: string;
  expMonth: number;
  expYear: number;
  outcome: Outcome;
  customer: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedBy: string | null;
  usedAt: Date | null;
}

const COLUMNS = `id, brand, last4, exp_month AS "expMonth", exp_year AS "expYear", outcome, customer,
  created_at AS "createdAt", expires_at AS "expiresAt", used_by AS "usedBy", used_at AS "usedAt"`;

export async function insertToken(
  db: Queryable,
  token: Omit<TokenRow, 'usedBy' | 'usedAt'>,
): Promise<TokenRow> {
  const { rows } = await db.query<TokenRow>(
    `INSERT INTO tokens (id, brand, last4, exp_month, exp_year, outcome, customer, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [
      token.id,
      token.brand,
      token.last4,
      token.expMonth,
      token.expYear,
      token.outcome,
      token.customer,
      token.createdAt,
      token.expiresAt,
    ],
  );
  return rows[0] as TokenRow;
}

/** `forUpdate`: charges with one token take turns, so it pays at most once. */
export async function findToken(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<TokenRow | undefined> {
  const { rows } = await db.query<TokenRow>(
    `SELECT ${COLUMNS} FROM tokens WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function markTokenUsed(db: Queryable, id: string, chargeId: string, at: Date): Promise<void> {
  await db.query('UPDATE tokens SET used_by = $2, used_at = $3 WHERE id = $1 AND used_by IS NULL', [
    id,
    chargeId,
    at,
  ]);
}
