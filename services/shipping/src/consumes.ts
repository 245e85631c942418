// Every event the shipping service consumes, with its consumer group and handler: the one place to
// look. Each handler runs in the transaction that records the event in the inbox, so what it
// changes and what it publishes happen exactly once per event.
import { OrderCancelledV1, OrderConfirmedV1 } from '@shopnow/contracts';
import { consume } from '@shopnow/events';
import type { ShippingContext } from './context.ts';
import { cancelShipmentOfOrder } from './shipments/cancel.ts';
import { scheduleShipment } from './shipments/schedule.ts';

/** The orders shipping follows: one group, so one order's events apply in one consumer's order. */
const ORDERS = 'shipping.orders';

export function shippingSubscriptions(ctx: ShippingContext) {
  return [
    consume(OrderConfirmedV1, ORDERS, async (event, tx) => {
      const result = await scheduleShipment(tx, ctx, event.data, `event:${event.type}`);
      if (result.outcome === 'order_cancelled') {
        ctx.logger.info({ orderId: event.data.orderId }, 'confirmation of a cancelled order: nothing ships');
      }
    }),
    consume(OrderCancelledV1, ORDERS, async (event, tx) => {
      await cancelShipmentOfOrder(tx, ctx, event.data, `event:${event.type}`);
    }),
  ];
}
