// Order messages: each names its customer by user id (the address is looked up when sending). A
// refund names only the order, so the order events also record whose order it is.
import type {
  EventData,
  EventEnvelope,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  PaymentRefundedV1,
} from '@shopnow/contracts';
import type { Queryable } from '../store/db.ts';
import { ownerOfOrder, recordOrderOwner } from '../store/order-owners.ts';
import { enqueue } from './enqueue.ts';

type OrderEvent =
  | EventEnvelope<EventData<typeof OrderPlacedV1>>
  | EventEnvelope<EventData<typeof OrderConfirmedV1>>
  | EventEnvelope<EventData<typeof OrderCancelledV1>>;

export async function orderMessage(
  tx: Queryable,
  event: OrderEvent,
  kind: 'order_placed' | 'order_confirmed' | 'order_cancelled',
): Promise<void> {
  const { orderId, userId } = event.data;
  await recordOrderOwner(tx, orderId, userId);
  await enqueue(tx, event, kind, { userId, email: null }, { occurrence: `order:${orderId}` });
}

export async function refundMessage(
  tx: Queryable,
  event: EventEnvelope<EventData<typeof PaymentRefundedV1>>,
) {
  const userId = await ownerOfOrder(tx, event.data.orderId);
  // The order's own events come first; if this one overtook them, fail so the delivery is retried.
  if (userId === undefined)
    throw new Error(`refund of order ${event.data.orderId}: the order's customer is not known yet`);
  await enqueue(
    tx,
    event,
    'order_refunded',
    { userId, email: null },
    { occurrence: `refund:${event.data.refundId}` },
  );
}
