// Giving a reservation's stock back: on order.cancelled.v1 (release) and by the sweeper (expiry).
// Only an active reservation holds stock; anything else is left as it is.
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { unreserve } from '../domain/movement.ts';
import { announceStockLevels } from '../stock/stock-levels.ts';
import { applyMovements } from '../store/movements.ts';
import { type Reservation, reservationLines, updateReservation } from '../store/reservations.ts';
import { lockStock } from '../store/stock.ts';

/** reserved → available for every line of `reservation` (locked by the caller, and active). */
export async function returnToStock(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  reservation: Reservation,
  how: { kind: 'release' | 'expiry'; reason: string; actor: string },
): Promise<void> {
  const { orderId } = reservation;
  const lines = await reservationLines(tx, orderId);
  await lockStock(
    tx,
    lines.map((line) => line.sku),
  );
  const moved = await applyMovements(
    tx,
    lines.map((line) => unreserve(line, how.kind, { orderId, actor: how.actor, reason: how.reason })),
  );
  if (!moved.ok) throw new Error(`release of order ${orderId} refused for ${moved.refused.join(', ')}`);
  await updateReservation(tx, orderId, {
    status: how.kind === 'release' ? 'released' : 'expired',
    reason: how.reason,
  });
  await announceStockLevels(tx, ctx, moved.rows);
}
