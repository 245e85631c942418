// A status change told to every instance of the service: NOTIFY on the order database, sent at
// commit (NOTIFY is transactional), heard by each instance's listener (stream/status-listener.ts).
import type { OrderStatus } from '../domain/order-status.ts';
import type { Queryable } from './db.ts';

export const STATUS_CHANNEL = 'order_status';

export interface StatusChange {
  orderId: string;
  status: OrderStatus;
  version: number;
  reason: string | null;
  at: string;
}

export async function notifyStatus(db: Queryable, change: StatusChange): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [STATUS_CHANNEL, JSON.stringify(change)]);
}
