// SQL of back-in-stock alerts: one per customer and product, until the product is back.
import { withTransaction } from '@shopnow/chassis';
import type pg from 'pg';
import type { Queryable } from './db.ts';

export interface StockAlert {
  userId: string;
  productId: string;
  sku: string;
  productName: string;
  createdAt: Date;
}

const COLUMNS = `user_id AS "userId", product_id AS "productId", sku, product_name AS "productName",
  created_at AS "createdAt"`;

/**
 * Stores the alert unless the customer holds `max` already; `created` false when they had asked
 * already (kept as it was, and fine at the limit). The customer's alerts are counted under a lock
 * on the customer, so concurrent requests cannot go past the limit together.
 */
export async function insertAlert(
  db: pg.Pool,
  alert: { userId: string; productId: string; sku: string; productName: string },
  max: number,
): Promise<{ alert: StockAlert; created: boolean } | 'limit_reached'> {
  return withTransaction(db, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('stock_alerts:' || $1, 0))`, [
      alert.userId,
    ]);
    const held = await findAlert(tx, alert.userId, alert.productId);
    if (held !== undefined) return { alert: held, created: false };
    if ((await countAlerts(tx, alert.userId)) >= max) return 'limit_reached';
    const inserted = await tx.query<StockAlert>(
      `INSERT INTO stock_alerts (user_id, product_id, sku, product_name) VALUES ($1, $2, $3, $4)
       RETURNING ${COLUMNS}`,
      [alert.userId, alert.productId, alert.sku, alert.productName],
    );
    return { alert: inserted.rows[0]!, created: true };
  });
}

async function findAlert(db: Queryable, userId: string, productId: string): Promise<StockAlert | undefined> {
  const { rows } = await db.query<StockAlert>(
    `SELECT ${COLUMNS} FROM stock_alerts WHERE user_id = $1 AND product_id = $2`,
    [userId, productId],
  );
  return rows[0];
}

async function countAlerts(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM stock_alerts WHERE user_id = $1',
    [userId],
  );
  return rows[0]?.n ?? 0;
}

/** The customer's alerts, newest first. */
export async function listAlerts(db: Queryable, userId: string): Promise<StockAlert[]> {
  const { rows } = await db.query<StockAlert>(
    `SELECT ${COLUMNS} FROM stock_alerts WHERE user_id = $1 ORDER BY created_at DESC, product_id`,
    [userId],
  );
  return rows;
}

/** Removes the customer's alert for the product; false when there was none. */
export async function deleteAlert(db: Queryable, userId: string, productId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM stock_alerts WHERE user_id = $1 AND product_id = $2', [
    userId,
    productId,
  ]);
  return rowCount === 1;
}

/** Every alert for the product, removed as they are returned (each becomes its message). */
export async function takeAlerts(db: Queryable, productId: string): Promise<StockAlert[]> {
  const { rows } = await db.query<StockAlert>(
    `DELETE FROM stock_alerts WHERE product_id = $1 RETURNING ${COLUMNS}`,
    [productId],
  );
  return rows;
}
