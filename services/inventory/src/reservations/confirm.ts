// order.confirmed.v1 → the reservation's units are sold (reserved → sold).
//
// The order was cancelled first (its reservation released or returned): the order service never
// confirms a cancelled order, so this confirmation was delivered after the cancellation that
// followed it. Nothing is sold (the units belong to available): `already_cancelled`.
//
// A confirmation after the sweeper gave the reservation back (expired, and no cancellation yet):
// the saga raced the sweeper. The units are sold anyway when every line can still be taken from
// available (the customer paid); otherwise it fails loudly: an error log and a retried, then
// dead-lettered event an operator can replay after restocking. It never oversells.
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { sell } from '../domain/movement.ts';
import { canTakeAll } from '../domain/reservation-plan.ts';
import { announceStockLevels } from '../stock/stock-levels.ts';
import { applyMovements } from '../store/movements.ts';
import { findReservation, reservationLines, updateReservation } from '../store/reservations.ts';
import { lockStock } from '../store/stock.ts';

export type ConfirmOutcome = 'committed' | 'committed_late' | 'already_committed' | 'already_cancelled';

const ACTOR = 'event:order.confirmed.v1';

export class ConfirmationRefused extends Error {
  constructor(orderId: string, why: string) {
    super(`order.confirmed.v1 for order ${orderId} cannot be applied: ${why}`);
    this.name = 'ConfirmationRefused';
  }
}

export async function confirmReservation(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  orderId: string,
): Promise<ConfirmOutcome> {
  const reservation = await findReservation(tx, orderId, { forUpdate: true });
  if (reservation === undefined) throw new ConfirmationRefused(orderId, 'inventory never reserved it');
  if (reservation.status === 'committed') return 'already_committed';
  if (reservation.status === 'released' || reservation.status === 'returned') {
    // Also a tombstone (cancelled before it was placed here): the order is dead either way.
    ctx.logger.warn(
      { orderId, status: reservation.status },
      'confirmation of an order already cancelled: nothing sold',
    );
    return 'already_cancelled';
  }
  if (reservation.status === 'rejected')
    throw new ConfirmationRefused(orderId, 'its reservation was rejected');

  const lines = await reservationLines(tx, orderId);
  if (lines.length === 0) throw new ConfirmationRefused(orderId, 'its reservation holds no lines');
  const levels = await lockStock(
    tx,
    lines.map((line) => line.sku),
  );
  const late = reservation.status !== 'active';
  if (late && !canTakeAll(lines, levels)) {
    ctx.logger.error(
      { orderId, status: reservation.status, lines },
      'confirmed order whose reservation was given back, and the stock is gone: it cannot be fulfilled from stock',
    );
    throw new ConfirmationRefused(orderId, `its reservation is ${reservation.status} and the stock is gone`);
  }
  const moved = await applyMovements(
    tx,
    lines.map((line) => sell(line, late ? 'available' : 'reserved', { orderId, actor: ACTOR })),
  );
  if (!moved.ok) throw new Error(`commit of order ${orderId} refused for ${moved.refused.join(', ')}`);
  await updateReservation(tx, orderId, { status: 'committed' });
  await announceStockLevels(tx, ctx, moved.rows);
  if (late) {
    ctx.logger.warn(
      { orderId, was: reservation.status },
      'confirmed after its reservation was given back; sold from available stock',
    );
  }
  return late ? 'committed_late' : 'committed';
}
