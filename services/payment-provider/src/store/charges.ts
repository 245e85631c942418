// The charge ledger: every attempt that reached a card (succeeded or declined), with the card it
// used (from its token) and its refunds.
import type { Brand } from '../domain/brand.ts';
import type { Decline } from '../domain/test-cards.ts';
import type { Queryable } from './db.ts';
import { type Refund, refundsOf } from './refunds.ts';

export type ChargeStatus = 'succeeded' | 'failed';

export interface Charge {
  id: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  status: ChargeStatus;
  /** Every cent refunded. */
  refunded: boolean;
  failureCode: Decline | null;
  customer: string | null;
  description: string | null;
  metadata: Record<string, string>;
  token: string;
  card: { brand: Brand; last4: string; expMonth: number; expYear: number };
  createdAt: string;
  refunds: Refund[];
}

export interface NewCharge {
  id: string;
  tokenId: string;
  amount: number;
  currency: string;
  status: ChargeStatus;
  failureCode: Decline | null;
  customer: string | null;
  description: string | null;
  metadata: Record<string, string>;
  createdAt: Date;
}

export interface ChargeFilter {
  orderId?: string | undefined;
  customer?: string | undefined;
  status?: ChargeStatus | undefined;
  /** Rows older than this ledger position (the cursor). */
  beforeSeq?: string | undefined;
  limit: number;
}

type ChargeRow = Omit<Charge, 'refunds' | 'card'> & {
  seq: string;
  brand: Brand;
  last4: string;
  expMonth: number;
  expYear: number;
};

const SELECT = `SELECT c.seq::text AS seq, c.id, c.amount, c.amount_refunded AS "amountRefunded", c.currency,
    c.status, c.amount_refunded = c.amount AS refunded, c.failure_code AS "failureCode", c.customer,
    c.description, c.metadata, c.token_id AS token,
    to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
    t.brand, t.last4, t.exp_month AS "expMonth", t.exp_year AS "expYear"
  FROM charges c JOIN tokens t ON t.id = c.token_id`;

export async function insertCharge(db: Queryable, charge: NewCharge): Promise<void> {
  await db.query(
    `INSERT INTO charges (id, token_id, amount, currency, status, failure_code, customer, description, metadata, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      charge.id,
      charge.tokenId,
      charge.amount,
      charge.currency,
      charge.status,
      charge.failureCode,
      charge.customer,
      charge.description,
      JSON.stringify(charge.metadata),
      charge.createdAt,
    ],
  );
}

/** `forUpdate`: refunds of one charge take turns, so together they never exceed it. */
export async function findCharge(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Charge | undefined> {
  const { rows } = await db.query<ChargeRow>(
    `${SELECT} WHERE c.id = $1${options.forUpdate ? ' FOR UPDATE OF c' : ''}`,
    [id],
  );
  const row = rows[0];
  return row === undefined ? undefined : (await withRefunds(db, [row]))[0];
}

/** Newest first; `nextSeq` is the ledger position to continue from, if there may be more. */
export async function listCharges(
  db: Queryable,
  filter: ChargeFilter,
): Promise<{ items: Charge[]; nextSeq: string | undefined }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filter.orderId !== undefined) add(`c.metadata ->> 'orderId' = ?`, filter.orderId);
  if (filter.customer !== undefined) add('c.customer = ?', filter.customer);
  if (filter.status !== undefined) add('c.status = ?', filter.status);
  if (filter.beforeSeq !== undefined) add('c.seq < ?::bigint', filter.beforeSeq);
  params.push(filter.limit + 1);
  const { rows } = await db.query<ChargeRow>(
    `${SELECT}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY c.seq DESC LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > filter.limit;
  const page = rows.slice(0, filter.limit);
  return { items: await withRefunds(db, page), nextSeq: more ? page.at(-1)?.seq : undefined };
}

export async function addRefundedAmount(db: Queryable, chargeId: string, amount: number): Promise<void> {
  await db.query('UPDATE charges SET amount_refunded = amount_refunded + $2 WHERE id = $1', [
    chargeId,
    amount,
  ]);
}

async function withRefunds(db: Queryable, rows: ChargeRow[]): Promise<Charge[]> {
  const refunds = await refundsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map(({ seq: _seq, brand, last4, expMonth, expYear, ...charge }) => ({
    ...charge,
    card: { brand, last4, expMonth, expYear },
    refunds: refunds.get(charge.id) ?? [],
  }));
}
