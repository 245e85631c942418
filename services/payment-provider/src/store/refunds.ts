// Refunds, each a part (or all) of one succeeded charge.
import type { Queryable } from './db.ts';

export interface Refund {
  id: string;
  charge: string;
  amount: number;
  currency: string;
  status: 'succeeded';
  reason: string | null;
  metadata: Record<string, string>;
  createdAt: string;
}

export interface NewRefund {
  id: string;
  chargeId: string;
  amount: number;
  reason: string | null;
  metadata: Record<string, string>;
  createdAt: Date;
}

const COLUMNS = `r.id, r.charge_id AS charge, r.amount, c.currency, 'succeeded' AS status, r.reason, r.metadata,
  to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

export async function insertRefund(db: Queryable, refund: NewRefund): Promise<Refund> {
  const { rows } = await db.query<Refund>(
    `WITH r AS (
       INSERT INTO refunds (id, charge_id, amount, reason, metadata, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *)
     SELECT ${COLUMNS} FROM r JOIN charges c ON c.id = r.charge_id`,
    [
      refund.id,
      refund.chargeId,
      refund.amount,
      refund.reason,
      JSON.stringify(refund.metadata),
      refund.createdAt,
    ],
  );
  return rows[0] as Refund;
}

/** The refunds of each charge, in the order they were made. */
export async function refundsOf(db: Queryable, chargeIds: readonly string[]): Promise<Map<string, Refund[]>> {
  const byCharge = new Map<string, Refund[]>();
  if (chargeIds.length === 0) return byCharge;
  const { rows } = await db.query<Refund>(
    `SELECT ${COLUMNS} FROM refunds r JOIN charges c ON c.id = r.charge_id
     WHERE r.charge_id = ANY($1) ORDER BY r.seq`,
    [chargeIds],
  );
  for (const row of rows) {
    const list = byCharge.get(row.charge) ?? [];
    list.push(row);
    byCharge.set(row.charge, list);
  }
  return byCharge;
}
