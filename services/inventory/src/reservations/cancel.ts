// order.cancelled.v1 → whatever the order's reservation still counts is given back:
// - active: reserved → available (released);
// - committed (a confirmed order cancelled before dispatch): sold → available (returned);
// - expired: its units went back already; it is marked released, so a confirmation delivered
//   after the cancellation knows the order is dead;
// - released, returned, rejected: nothing held, a no-op (so a redelivered cancellation does nothing).
// No reservation yet (the cancellation overtook order.placed.v1): a released tombstone is left, so
// the late order.placed.v1 reserves nothing for a dead order.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { claimReservation, findReservation, updateReservation } from '../store/reservations.ts';
import { giveBackSold } from './give-back.ts';
import { returnToStock } from './release.ts';

export type CancelOutcome = 'released' | 'returned' | 'expired_released' | 'nothing_held' | 'tombstone';

const ACTOR = 'event:order.cancelled.v1';

export async function cancelReservation(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  cancellation: { orderId: string; reason: string },
): Promise<CancelOutcome> {
  const { orderId, reason } = cancellation;
  const tombstone = await claimReservation(tx, { orderId, id: randomUUID(), status: 'released', reason });
  if (tombstone !== undefined) return 'tombstone';
  const reservation = await findReservation(tx, orderId, { forUpdate: true });
  switch (reservation?.status) {
    case 'active':
      await returnToStock(tx, ctx, reservation, { kind: 'release', reason, actor: ACTOR });
      return 'released';
    case 'committed':
      return (await giveBackSold(tx, ctx, reservation, { reason, actor: ACTOR }))
        ? 'returned'
        : 'nothing_held';
    case 'expired':
      return (await updateReservation(tx, orderId, { status: 'released', from: 'expired', reason }))
        ? 'expired_released'
        : 'nothing_held';
    default:
      return 'nothing_held';
  }
}
