// A confirmed order cancelled before its parcel left (the customer's cancel; payment refunds it):
// its sold units go back to available, sold → available per line with a 'return' movement, and the
// reservation ends 'returned' so that nothing is given back twice.
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { giveBack } from '../domain/movement.ts';
import { announceStockLevels } from '../stock/stock-levels.ts';
import { applyMovements } from '../store/movements.ts';
import { type Reservation, reservationLines, updateReservation } from '../store/reservations.ts';
import { lockStock } from '../store/stock.ts';

/**
 * sold → available for every line of `reservation` (locked by the caller). Resolves to false,
 * changing nothing, when the reservation is no longer committed.
 */
export async function giveBackSold(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  reservation: Reservation,
  how: { reason: string; actor: string },
): Promise<boolean> {
  const { orderId } = reservation;
  const returned = await updateReservation(tx, orderId, {
    status: 'returned',
    from: 'committed',
    reason: how.reason,
  });
  if (!returned) return false;
  const lines = await reservationLines(tx, orderId);
  await lockStock(
    tx,
    lines.map((line) => line.sku),
  );
  const moved = await applyMovements(
    tx,
    lines.map((line) => giveBack(line, { orderId, actor: how.actor, reason: how.reason })),
  );
  // Only this order's commit put these units in sold: a refusal is a bug, and rolls it all back.
  if (!moved.ok) throw new Error(`return of order ${orderId} refused for ${moved.refused.join(', ')}`);
  // Back at or above a threshold: stock_low re-arms for the next fall.
  await announceStockLevels(tx, ctx, moved.rows);
  return true;
}
