// The shipping service's events: one per step of a shipment's life, so each consumer subscribes to
// exactly the steps it cares about (order: dispatched and delivered; notification: scheduled,
// dispatched, delivered) and no consumer has to filter a generic "status changed" by a field.
//
//   scheduled ─▶ picked_up ─▶ in_transit (dispatched) ─▶ out_for_delivery ─▶ delivered
//       │            │               │                          │
//       └────────────┴───────────────┴──────────────────────────┴──▶ exception
//   scheduled, picked_up ─▶ cancelled (the order was cancelled before dispatch)
//
// Personal data stays minimal: the address is reduced to city and country, lines are not
// repeated (the order has them); userId is there so notification can reach the customer.
import { type Static, Type } from 'typebox';
import { defineEvent } from './define-event.ts';

const closed = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' });

/** The carrier's reference, printed on the label: random, never derived from the order id. */
export const TrackingNumberSchema = Type.String({ pattern: '^[A-Z0-9]{8,32}$' });

/** Where a parcel is or goes, at city level only: never a street, postal code or name. */
export const CityLocationSchema = Type.Object(
  {
    city: Type.String({ minLength: 1, maxLength: 100 }),
    /** ISO 3166-1 alpha-2. */
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
  },
  closed,
);
export type CityLocation = Static<typeof CityLocationSchema>;

/** Service levels today; the contract takes any stable code so a new one needs no new version. */
export const SHIPPING_SERVICE_LEVELS = ['standard', 'express'] as const;

/** Exception reasons today (a stable code; consumers treat unknown ones alike). */
export const SHIPMENT_EXCEPTION_REASONS = [
  'address_problem',
  'damaged',
  'lost',
  'delivery_failed',
  'refused_by_recipient',
] as const;

/** What every step event names: the shipment, its order and customer, and its tracking number. */
const Shipment = {
  shipmentId: Uuid,
  orderId: Uuid,
  userId: Uuid,
  trackingNumber: TrackingNumberSchema,
};

/** A confirmed order got its shipment: carrier, service level, tracking number, expected date. */
export const ShipmentScheduledV1 = defineEvent(
  'shipping.shipment_scheduled.v1',
  Type.Object(
    {
      ...Shipment,
      /** A stable carrier code (`parcelpost`, `swiftair`, …). */
      carrier: Code,
      serviceLevel: Code,
      /** The expected delivery day, YYYY-MM-DD (business days from scheduling by service level). */
      estimatedDelivery: Type.String({ format: 'date' }),
      destination: CityLocationSchema,
      scheduledAt: Instant,
    },
    closed,
  ),
);

/** The carrier collected the parcel from the warehouse. */
export const ShipmentPickedUpV1 = defineEvent(
  'shipping.shipment_picked_up.v1',
  Type.Object({ ...Shipment, location: CityLocationSchema, pickedUpAt: Instant }, closed),
);

/** The parcel left for its destination (status in_transit): the order is shipped; no more cancel. */
export const ShipmentDispatchedV1 = defineEvent(
  'shipping.shipment_dispatched.v1',
  Type.Object({ ...Shipment, location: CityLocationSchema, dispatchedAt: Instant }, closed),
);

/** The parcel is with the driver for delivery today. */
export const ShipmentOutForDeliveryV1 = defineEvent(
  'shipping.shipment_out_for_delivery.v1',
  Type.Object({ ...Shipment, location: CityLocationSchema, outForDeliveryAt: Instant }, closed),
);

/** The parcel was handed over: the order is delivered. Final. */
export const ShipmentDeliveredV1 = defineEvent(
  'shipping.shipment_delivered.v1',
  Type.Object({ ...Shipment, location: CityLocationSchema, deliveredAt: Instant }, closed),
);

/** Something went wrong on the way (final for the simulator; an operator takes over). */
export const ShipmentExceptionV1 = defineEvent(
  'shipping.shipment_exception.v1',
  Type.Object(
    {
      ...Shipment,
      /** A stable code (`address_problem`, `damaged`, `lost`, …). */
      reason: Code,
      /** The status the shipment was in when it failed (`scheduled`, `picked_up`, …). */
      previousStatus: Code,
      location: Type.Union([CityLocationSchema, Type.Null()]),
      exceptionAt: Instant,
    },
    closed,
  ),
);

/** The order was cancelled before dispatch: the shipment will not leave. Final. */
export const ShipmentCancelledV1 = defineEvent(
  'shipping.shipment_cancelled.v1',
  Type.Object({ ...Shipment, reason: Code, cancelledAt: Instant }, closed),
);

export const shippingEvents = [
  ShipmentScheduledV1,
  ShipmentPickedUpV1,
  ShipmentDispatchedV1,
  ShipmentOutForDeliveryV1,
  ShipmentDeliveredV1,
  ShipmentExceptionV1,
  ShipmentCancelledV1,
] as const;
