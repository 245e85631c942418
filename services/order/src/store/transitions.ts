// SQL of the saga timeline: one row per status change, with what caused it and why.
import type { OrderStatus } from '../domain/order-status.ts';
import type { Queryable } from './db.ts';

export interface Transition {
  from: OrderStatus | null;
  to: OrderStatus;
  /** 'customer', 'admin:<id>', 'event:<type>', 'timeout:<step>'. */
  cause: string;
  reason: string | null;
  eventId: string | null;
}

export interface TransitionRecord extends Transition {
  at: Date;
}

export async function recordTransition(db: Queryable, orderId: string, t: Transition): Promise<void> {
  await db.query(
    `INSERT INTO order_transitions (order_id, from_status, to_status, cause, reason, event_id)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [orderId, t.from, t.to, t.cause, t.reason, t.eventId],
  );
}

export async function transitionsOf(db: Queryable, orderId: string): Promise<TransitionRecord[]> {
  const { rows } = await db.query<TransitionRecord>(
    `SELECT from_status AS "from", to_status AS "to", cause, reason, event_id AS "eventId", at
     FROM order_transitions WHERE order_id = $1 ORDER BY id`,
    [orderId],
  );
  return rows;
}
