// The sweeper: active reservations past their expiry give their stock back and the order is told
// (inventory.reservation_expired.v1; it must cancel). One reservation per transaction, taken with
// SKIP LOCKED, so replicas sweep side by side and a confirmation being applied is not waited on.

import { withTransaction } from '@shopnow/chassis';
import { InventoryReservationExpiredV1 } from '@shopnow/contracts';
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { lockNextExpired } from '../store/reservations.ts';
import { returnToStock } from './release.ts';

/** Expires what is due, at most `limit` reservations; resolves to how many it expired. */
export async function expireDueReservations(
  db: pg.Pool,
  ctx: InventoryContext,
  limit = 500,
): Promise<number> {
  let expired = 0;
  while (expired < limit) {
    const done = await withTransaction(db, async (tx) => {
      const due = await lockNextExpired(tx);
      if (due === undefined) return false;
      await returnToStock(tx, ctx, due, { kind: 'expiry', reason: 'reservation_expired', actor: 'sweeper' });
      await ctx.events.publish(tx, InventoryReservationExpiredV1, {
        subject: due.orderId,
        data: { orderId: due.orderId, expiredAt: new Date().toISOString() },
      });
      return true;
    });
    if (!done) break;
    expired += 1;
  }
  return expired;
}
