// order.cancelled.v1 → the order's shipment stops if it has not been dispatched yet
// (shipping.shipment_cancelled.v1). Once in transit it goes on: the order was cancelled too late
// (the order service refuses a cancel once it hears of the dispatch; this is the race between the
// two events), which is logged for an operator. With no shipment yet the order is remembered, so
// a confirmation handled after it ships nothing.
import type pg from 'pg';
import type { ShippingContext } from '../context.ts';
import { rememberCancelledOrder } from '../store/cancelled-orders.ts';
import { findShipmentOfOrder } from '../store/shipments.ts';
import { type MoveOutcome, moveOnce } from './move.ts';

export async function cancelShipmentOfOrder(
  tx: pg.ClientBase,
  ctx: ShippingContext,
  order: { orderId: string; reason: string },
  cause: string,
): Promise<MoveOutcome | { outcome: 'no_shipment' }> {
  const shipment = await findShipmentOfOrder(tx, order.orderId, { forUpdate: true });
  if (shipment === undefined) {
    await rememberCancelledOrder(tx, order.orderId);
    return { outcome: 'no_shipment' };
  }
  const result = await moveOnce(tx, ctx, shipment, { kind: 'order_cancelled', reason: order.reason }, cause);
  if (result.outcome === 'refused') {
    ctx.logger.warn(
      { orderId: order.orderId, shipmentId: shipment.id, status: shipment.status },
      `order cancelled but its shipment goes on: ${result.why}`,
    );
  }
  return result;
}
