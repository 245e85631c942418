// The event of each status a shipment arrives in, published in the transaction that moved it.
import {
  type EventContract,
  type EventData,
  ShipmentCancelledV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentExceptionV1,
  ShipmentOutForDeliveryV1,
  ShipmentPickedUpV1,
  ShipmentScheduledV1,
} from '@shopnow/contracts';
import type pg from 'pg';
import type { ShippingContext } from '../context.ts';
import type { ShipmentStatus } from '../domain/shipment-status.ts';
import type { CityLocation } from '../domain/step-location.ts';
import type { Shipment } from '../store/shipments.ts';

export interface StepFacts {
  from: ShipmentStatus | null;
  location: CityLocation | null;
  at: Date;
}

const ids = (s: Shipment) => ({
  shipmentId: s.id,
  orderId: s.orderId,
  userId: s.userId,
  trackingNumber: s.trackingNumber,
});

/** Publishes the event of the status `shipment` is now in. */
export async function publishStep(
  tx: pg.ClientBase,
  ctx: ShippingContext,
  shipment: Shipment,
  facts: StepFacts,
): Promise<void> {
  const at = facts.at.toISOString();
  const subject = shipment.id;
  const here = facts.location;
  const send = async <C extends EventContract>(contract: C, data: EventData<C>) => {
    await ctx.events.publish(tx, contract, { subject, data });
  };
  const located = () => {
    if (here === null) throw new Error(`a ${shipment.status} step needs a location`);
    return here;
  };
  switch (shipment.status) {
    case 'scheduled':
      return send(ShipmentScheduledV1, {
        ...ids(shipment),
        carrier: shipment.carrier,
        serviceLevel: shipment.serviceLevel,
        estimatedDelivery: shipment.estimatedDelivery,
        destination: { city: shipment.destinationCity, country: shipment.destinationCountry },
        scheduledAt: at,
      });
    case 'picked_up':
      return send(ShipmentPickedUpV1, { ...ids(shipment), location: located(), pickedUpAt: at });
    case 'in_transit':
      return send(ShipmentDispatchedV1, { ...ids(shipment), location: located(), dispatchedAt: at });
    case 'out_for_delivery':
      return send(ShipmentOutForDeliveryV1, { ...ids(shipment), location: located(), outForDeliveryAt: at });
    case 'delivered':
      return send(ShipmentDeliveredV1, { ...ids(shipment), location: located(), deliveredAt: at });
    case 'exception':
      return send(ShipmentExceptionV1, {
        ...ids(shipment),
        reason: shipment.reason ?? 'unknown',
        previousStatus: facts.from ?? 'scheduled',
        location: here,
        exceptionAt: at,
      });
    case 'cancelled':
      return send(ShipmentCancelledV1, {
        ...ids(shipment),
        reason: shipment.reason ?? 'cancelled',
        cancelledAt: at,
      });
  }
}
