// The one way counts change: conditional updates of the stock rows plus their ledger rows, in the
// caller's transaction. The condition (no count below zero) is checked by the UPDATE itself, so a
// caller that read stale numbers gets a refusal, never a negative count.
import type { Movement } from '../domain/movement.ts';
import type { Queryable } from './db.ts';
import { STOCK_COLUMNS, type StockRow } from './stock.ts';

export type MovementResult = { ok: true; rows: StockRow[] } | { ok: false; refused: string[] };

/**
 * Applies `movements` (at most one per SKU) and records them. When any SKU is unknown or would go
 * below zero, `ok` is false and the caller must roll its transaction back: the other rows of the
 * statement did change.
 */
export async function applyMovements(db: Queryable, movements: readonly Movement[]): Promise<MovementResult> {
  if (movements.length === 0) return { ok: true, rows: [] };
  const skus = movements.map((m) => m.sku);
  if (new Set(skus).size !== skus.length) throw new Error('applyMovements: one movement per SKU');
  const { rows } = await db.query<StockRow>(
    `UPDATE stock s
     SET available = s.available + m.da, reserved = s.reserved + m.dr, sold = s.sold + m.ds, updated_at = now()
     FROM unnest($1::text[], $2::int[], $3::int[], $4::int[]) AS m(moved_sku, da, dr, ds)
     WHERE s.sku = m.moved_sku AND s.available + m.da >= 0 AND s.reserved + m.dr >= 0 AND s.sold + m.ds >= 0
     RETURNING ${STOCK_COLUMNS}`,
    [skus, movements.map((m) => m.available), movements.map((m) => m.reserved), movements.map((m) => m.sold)],
  );
  if (rows.length !== movements.length) {
    const changed = new Set(rows.map((row) => row.sku));
    return { ok: false, refused: skus.filter((sku) => !changed.has(sku)) };
  }
  await db.query(
    `INSERT INTO stock_movements (sku, kind, delta_available, delta_reserved, delta_sold, order_id, reason, actor)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::uuid[], $7::text[], $8::text[])`,
    [
      skus,
      movements.map((m) => m.kind),
      movements.map((m) => m.available),
      movements.map((m) => m.reserved),
      movements.map((m) => m.sold),
      movements.map((m) => m.orderId ?? null),
      movements.map((m) => m.reason ?? null),
      movements.map((m) => m.actor),
    ],
  );
  return { ok: true, rows };
}

export interface MovementRecord {
  id: string;
  kind: Movement['kind'];
  available: number;
  reserved: number;
  sold: number;
  orderId: string | null;
  reason: string | null;
  actor: string;
  at: Date;
}

/** The newest movements of a SKU, newest first. */
export async function recentMovements(db: Queryable, sku: string, limit: number): Promise<MovementRecord[]> {
  const { rows } = await db.query<MovementRecord>(
    `SELECT id::text, kind, delta_available AS available, delta_reserved AS reserved, delta_sold AS sold,
            order_id AS "orderId", reason, actor, at
     FROM stock_movements WHERE sku = $1 ORDER BY id DESC LIMIT $2`,
    [sku, limit],
  );
  return rows;
}
