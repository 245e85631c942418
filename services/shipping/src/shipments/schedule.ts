// order.confirmed.v1 → the order's shipment: carrier and service level by the rules, a random
// tracking number, the expected delivery day; shipping.shipment_scheduled.v1. One shipment per
// order whatever is redelivered: the order id is unique, a second confirmation finds it taken.
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventData, OrderConfirmedV1 } from '@shopnow/contracts';
import type pg from 'pg';
import type { ShippingContext } from '../context.ts';
import { addBusinessDays, planShipment } from '../domain/shipping-rules.ts';
import { stepLocation } from '../domain/step-location.ts';
import { trackingNumber } from '../domain/tracking-number.ts';
import { publishStep } from '../events/publish-step.ts';
import { isOrderCancelled } from '../store/cancelled-orders.ts';
import { recordStep } from '../store/history.ts';
import { insertShipment, type Shipment } from '../store/shipments.ts';

export type ScheduleOutcome =
  | { outcome: 'scheduled'; shipment: Shipment }
  | { outcome: 'exists' }
  /** The order's cancellation was handled first: nothing ships. */
  | { outcome: 'order_cancelled' };

export async function scheduleShipment(
  tx: pg.ClientBase,
  ctx: ShippingContext,
  order: EventData<typeof OrderConfirmedV1>,
  cause: string,
  now: Date = new Date(),
): Promise<ScheduleOutcome> {
  if (await isOrderCancelled(tx, order.orderId)) return { outcome: 'order_cancelled' };
  const address = order.shippingAddress;
  const plan = planShipment(ctx.settings.rules, {
    country: address.country,
    totalMinor: order.total.amountMinor,
  });
  const shipment = await insertShipment(tx, {
    id: randomUUID(),
    orderId: order.orderId,
    userId: order.userId,
    carrier: plan.carrier,
    serviceLevel: plan.serviceLevel,
    trackingNumber: trackingNumber(randomBytes(14)),
    estimatedDelivery: addBusinessDays(now, plan.businessDays),
    address,
    lines: order.lines,
    stepSeconds: ctx.settings.carrierStepSeconds,
  });
  if (shipment === undefined) return { outcome: 'exists' };
  const destination = { city: address.city, country: address.country };
  const location = stepLocation('scheduled', ctx.settings.origin, destination);
  const at = await recordStep(tx, shipment.id, {
    from: null,
    to: 'scheduled',
    cause,
    reason: null,
    location,
  });
  await publishStep(tx, ctx, shipment, { from: null, location, at });
  return { outcome: 'scheduled', shipment };
}
