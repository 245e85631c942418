// SQL of back-in-stock alerts: one per customer and product, until the product is back.
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

/** Stores the alert; `created` false when the customer had asked already (kept as it was). */
export async function insertAlert(
  db: Queryable,
  alert: { userId: string; productId: string; sku: string; productName: string },
): Promise<{ alert: StockAlert; created: boolean }> {
  const inserted = await db.query<StockAlert>(
    `INSERT INTO stock_alerts (user_id, product_id, sku, product_name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, product_id) DO NOTHING RETURNING ${COLUMNS}`,
    [alert.userId, alert.productId, alert.sku, alert.productName],
  );
  if (inserted.rows[0] !== undefined) return { alert: inserted.rows[0], created: true };
  return { alert: (await findAlert(db, alert.userId, alert.productId)) as StockAlert, created: false };
}

export async function findAlert(
  db: Queryable,
  userId: string,
  productId: string,
): Promise<StockAlert | undefined> {
  const { rows } = await db.query<StockAlert>(
    `SELECT ${COLUMNS} FROM stock_alerts WHERE user_id = $1 AND product_id = $2`,
    [userId, productId],
  );
  return rows[0];
}

export async function countAlerts(db: Queryable, userId: string): Promise<number> {
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
