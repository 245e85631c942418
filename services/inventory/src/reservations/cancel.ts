// order.cancelled.v1 → an active reservation's stock goes back to available. Nothing active: a
// no-op. No reservation yet (the cancellation overtook order.placed.v1): a released tombstone is
// left, so the late order.placed.v1 reserves nothing for a dead order.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { claimReservation, findReservation } from '../store/reservations.ts';
import { returnToStock } from './release.ts';

export type CancelOutcome = 'released' | 'nothing_held' | 'tombstone';

export async function cancelReservation(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  cancellation: { orderId: string; reason: string },
): Promise<CancelOutcome> {
  const { orderId, reason } = cancellation;
  const tombstone = await claimReservation(tx, { orderId, id: randomUUID(), status: 'released', reason });
  if (tombstone !== undefined) return 'tombstone';
  const reservation = await findReservation(tx, orderId, { forUpdate: true });
  if (reservation?.status !== 'active') return 'nothing_held';
  await returnToStock(tx, ctx, reservation, { kind: 'release', reason, actor: 'event:order.cancelled.v1' });
  return 'released';
}
