// Orders cancelled before their payment was requested here, so a late request is not charged.
import type { Queryable } from './db.ts';

export async function rememberCancelledOrder(db: Queryable, orderId: string): Promise<void> {
  await db.query('INSERT INTO cancelled_orders (order_id) VALUES ($1) ON CONFLICT (order_id) DO NOTHING', [
    orderId,
  ]);
}

export async function orderCancelledAt(db: Queryable, orderId: string): Promise<Date | undefined> {
  const { rows } = await db.query<{ cancelledAt: Date }>(
    'SELECT cancelled_at AS "cancelledAt" FROM cancelled_orders WHERE order_id = $1',
    [orderId],
  );
  return rows[0]?.cancelledAt;
}
