// Every event the order service consumes, with its consumer group and handler: the one place to
// look. Each is the checkout saga's answer from inventory or payment, or shipping's news of the
// parcel (dispatched → shipped, delivered → delivered), fed to the saga
// (saga/checkout-saga.ts) inside the transaction that records the event in the inbox, so a
// redelivered answer takes effect once. An answer the state machine refuses (late, repeated, for
// an order already cancelled) changes nothing and is logged.
import {
  type EventContract,
  type EventData,
  InventoryReservationExpiredV1,
  InventoryStockRejectedV1,
  InventoryStockReservedV1,
  PaymentFailedV1,
  PaymentSucceededV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
} from '@shopnow/contracts';
import { consume } from '@shopnow/events';
import type { OrderContext } from './context.ts';
import type { SagaInput } from './domain/order-status.ts';
import { advanceOrder } from './saga/checkout-saga.ts';

/** The checkout saga's answers, in one group: one order's answers apply in one consumer's order. */
const CHECKOUT = 'order.checkout';
/** Shipping's steps of the order's parcel (picked up and out for delivery change nothing here). */
const FULFILMENT = 'order.fulfilment';

export function orderSubscriptions(ctx: OrderContext) {
  /** The saga input an event is, applied to the order it names. */
  const answer = <C extends EventContract>(
    contract: C,
    toInput: (data: EventData<C>) => SagaInput,
    group: string = CHECKOUT,
  ) =>
    consume(contract, group, async (event, tx) => {
      const data = event.data as EventData<C> & { orderId: string };
      const input = toInput(data);
      const result = await advanceOrder(tx, ctx, data.orderId, input, {
        cause: `event:${event.type}`,
        eventId: event.id,
      });
      if (result.outcome === 'unknown_order') {
        ctx.logger.warn(
          { orderId: data.orderId, type: event.type },
          'answer for an order this service never placed',
        );
      } else if (result.outcome === 'refused') {
        // A capture for an order cancelled meanwhile: payment refunds it (it saw order.cancelled.v1).
        // A dispatch for an order cancelled meanwhile: the cancel lost the race with the carrier.
        const level =
          input.kind === 'payment_succeeded' || result.order.status === 'cancelled' ? 'warn' : 'info';
        ctx.logger[level](
          { orderId: data.orderId, type: event.type, status: result.order.status },
          `answer ignored: ${result.why}`,
        );
      }
    });

  return [
    answer(InventoryStockReservedV1, () => ({ kind: 'stock_reserved' })),
    answer(InventoryStockRejectedV1, (data) => ({ kind: 'stock_rejected', reason: data.reason })),
    answer(InventoryReservationExpiredV1, () => ({ kind: 'reservation_expired' })),
    answer(PaymentSucceededV1, () => ({ kind: 'payment_succeeded' })),
    answer(PaymentFailedV1, (data) => ({ kind: 'payment_failed', reason: data.reason })),
    answer(ShipmentDispatchedV1, () => ({ kind: 'shipment_dispatched' }), FULFILMENT),
    answer(ShipmentDeliveredV1, () => ({ kind: 'shipment_delivered' }), FULFILMENT),
  ];
}
