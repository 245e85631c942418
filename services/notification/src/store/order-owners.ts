// SQL of the order → customer projection (payment.refunded.v1 names only the order).
import type { Queryable } from './db.ts';

export async function recordOrderOwner(db: Queryable, orderId: string, userId: string): Promise<void> {
  await db.query('INSERT INTO order_owners (order_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    orderId,
    userId,
  ]);
}

export async function ownerOfOrder(db: Queryable, orderId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ userId: string }>(
    'SELECT user_id AS "userId" FROM order_owners WHERE order_id = $1',
    [orderId],
  );
  return rows[0]?.userId;
}
