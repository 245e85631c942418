// order.placed.v1 → every line reserved, or none: one transaction that claims the order, locks its
// SKUs in SKU order, decides from the locked counts and moves available → reserved with conditional
// updates; then stock_reserved or stock_rejected. Once per order: a second order.placed.v1 for it
// (another event id, so the inbox lets it through) gets the first answer again, never a second
// reservation.
import { randomUUID } from 'node:crypto';
import {
  type EventData,
  InventoryStockRejectedV1,
  InventoryStockReservedV1,
  type OrderLine,
} from '@shopnow/contracts';
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { reserve } from '../domain/movement.ts';
import { perSku, planReservation } from '../domain/reservation-plan.ts';
import { announceStockLevels } from '../stock/stock-levels.ts';
import { applyMovements } from '../store/movements.ts';
import {
  claimReservation,
  findReservation,
  insertReservationLines,
  type Reservation,
  updateReservation,
} from '../store/reservations.ts';
import { lockStock } from '../store/stock.ts';

type Reserved = EventData<typeof InventoryStockReservedV1>;
type Rejected = EventData<typeof InventoryStockRejectedV1>;

export type ReserveOutcome =
  | { outcome: 'reserved'; answer: Reserved }
  | { outcome: 'rejected'; answer: Rejected }
  /** The order was cancelled before it was placed here: nothing to reserve, nothing to answer. */
  | { outcome: 'cancelled' };

const ACTOR = 'event:order.placed.v1';

export async function reserveOrder(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  order: { orderId: string; lines: readonly Pick<OrderLine, 'sku' | 'quantity'>[] },
): Promise<ReserveOutcome> {
  const { orderId } = order;
  const claimed = await claimReservation(tx, {
    orderId,
    id: randomUUID(),
    status: 'active',
    ttlSeconds: ctx.settings.reservationTtlSeconds,
  });
  if (claimed === undefined) return answerAgain(tx, ctx, orderId);

  const wanted = perSku(order.lines);
  const plan = planReservation(
    wanted,
    await lockStock(
      tx,
      wanted.map((line) => line.sku),
    ),
  );
  if (!plan.ok) {
    const answer: Rejected = { orderId, reason: plan.reason, lines: plan.lines };
    await updateReservation(tx, orderId, { status: 'rejected', reason: plan.reason, answer });
    await ctx.events.publish(tx, InventoryStockRejectedV1, { subject: orderId, data: answer });
    return { outcome: 'rejected', answer };
  }

  const moved = await applyMovements(
    tx,
    plan.lines.map((line) => reserve(line, { orderId, actor: ACTOR })),
  );
  // The rows are locked and the plan read them: a refusal here is a bug, and rolls everything back.
  if (!moved.ok) throw new Error(`reservation of order ${orderId} refused for ${moved.refused.join(', ')}`);
  await insertReservationLines(tx, orderId, plan.lines);
  const answer: Reserved = {
    orderId,
    reservationId: claimed.id,
    lines: plan.lines,
    expiresAt: (claimed.expiresAt as Date).toISOString(),
  };
  await updateReservation(tx, orderId, { status: 'active', answer });
  await ctx.events.publish(tx, InventoryStockReservedV1, { subject: orderId, data: answer });
  await announceStockLevels(tx, ctx, moved.rows);
  return { outcome: 'reserved', answer };
}

/** The answer already given to this order, published again (the order service ignores repeats). */
async function answerAgain(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  orderId: string,
): Promise<ReserveOutcome> {
  const existing = (await findReservation(tx, orderId)) as Reservation;
  if (existing.answer === null) return { outcome: 'cancelled' };
  if (existing.status === 'rejected') {
    const answer = existing.answer as Rejected;
    await ctx.events.publish(tx, InventoryStockRejectedV1, { subject: orderId, data: answer });
    return { outcome: 'rejected', answer };
  }
  const answer = existing.answer as Reserved;
  await ctx.events.publish(tx, InventoryStockReservedV1, { subject: orderId, data: answer });
  return { outcome: 'reserved', answer };
}
