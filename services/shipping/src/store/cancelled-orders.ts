// Orders cancelled before their confirmation reached shipping, so a late confirmation ships nothing.
import type { Queryable } from './db.ts';

export async function rememberCancelledOrder(db: Queryable, orderId: string): Promise<void> {
  await db.query('INSERT INTO cancelled_orders (order_id) VALUES ($1) ON CONFLICT (order_id) DO NOTHING', [
    orderId,
  ]);
}

export async function isOrderCancelled(db: Queryable, orderId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM cancelled_orders WHERE order_id = $1', [orderId]);
  return rowCount === 1;
}
