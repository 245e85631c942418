// Shipping messages: each step event names its customer by user id; one message per shipment and
// step, whatever the producer sends again.
import type { EventEnvelope } from '@shopnow/contracts';
import type { Queryable } from '../store/db.ts';
import { enqueue } from './enqueue.ts';

export async function shipmentMessage(
  tx: Queryable,
  event: EventEnvelope<{ shipmentId: string; userId: string }>,
  kind: 'shipment_scheduled' | 'shipment_dispatched' | 'shipment_delivered',
): Promise<void> {
  const { shipmentId, userId } = event.data;
  await enqueue(tx, event, kind, { userId, email: null }, { occurrence: `shipment:${shipmentId}` });
}
