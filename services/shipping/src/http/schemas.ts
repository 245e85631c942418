// Request and response schemas (TypeBox → JSON Schema): validation, OpenAPI and serialisation
// from one definition. Every request object refuses unknown properties. Serialisation drops
// anything a response schema does not name: the public tracking answer cannot leak a field.
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });
const Status = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('picked_up'),
  Type.Literal('in_transit'),
  Type.Literal('out_for_delivery'),
  Type.Literal('delivered'),
  Type.Literal('exception'),
  Type.Literal('cancelled'),
]);
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' });
const Cursor = Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' });
const Limit = Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE });

// ---- requests ----
export const ShipmentParams = Type.Object({ id: Uuid }, strict);
export const OrderParams = Type.Object({ orderId: Uuid }, strict);
export const TrackingParams = Type.Object(
  {
    trackingNumber: Type.String({
      pattern: '^[A-Za-z0-9 -]{8,40}$',
      description: 'As printed on the label; case, spaces and dashes do not matter',
    }),
  },
  strict,
);
export const NoQuery = Type.Object({}, strict);

export const MyShipmentsQuery = Type.Object(
  { limit: Type.Optional(Limit), cursor: Type.Optional(Cursor), status: Type.Optional(Status) },
  strict,
);

export const AdminShipmentsQuery = Type.Object(
  {
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
    status: Type.Optional(Status),
    userId: Type.Optional(Uuid),
    orderId: Type.Optional(Uuid),
    carrier: Type.Optional(Code),
  },
  strict,
);

export const WriteHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

export const ExceptionBody = Type.Object(
  {
    reason: Type.String({
      pattern: '^[a-z][a-z0-9_]{0,63}$',
      description: 'A stable code: address_problem, damaged, lost, delivery_failed, refused_by_recipient, …',
    }),
  },
  strict,
);

// ---- responses ----
const City = Type.Object({ city: Type.String(), country: Type.String() });
const Place = Type.Union([City, Type.Null()]);

const Address = Type.Object({
  recipientName: Type.String(),
  line1: Type.String(),
  line2: Type.Union([Type.String(), Type.Null()]),
  city: Type.String(),
  region: Type.Union([Type.String(), Type.Null()]),
  postalCode: Type.Union([Type.String(), Type.Null()]),
  country: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
});

/** What the public sees: a status, when and in which city. */
const PublicStep = Type.Object({ status: Status, at: Timestamp, location: Place });

export const Tracking = Type.Object({
  trackingNumber: Type.String(),
  status: Status,
  carrier: Type.String(),
  serviceLevel: Type.String(),
  estimatedDelivery: Type.String({ format: 'date' }),
  history: Type.Array(PublicStep),
});

export const ShipmentSummary = Type.Object({
  id: Uuid,
  orderId: Uuid,
  status: Status,
  carrier: Type.String(),
  serviceLevel: Type.String(),
  trackingNumber: Type.String(),
  estimatedDelivery: Type.String({ format: 'date' }),
  destination: City,
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ShipmentPage = Type.Object({
  items: Type.Array(ShipmentSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

const Lines = Type.Array(Type.Object({ sku: Type.String(), name: Type.String(), quantity: Type.Integer() }));

/** The customer's own shipment: the address and lines are theirs to see. */
export const Shipment = Type.Object({
  ...ShipmentSummary.properties,
  address: Address,
  lines: Lines,
  history: Type.Array(
    Type.Object({
      status: Status,
      at: Timestamp,
      location: Place,
      reason: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const AdminShipment = Type.Object({
  ...ShipmentSummary.properties,
  userId: Uuid,
  address: Address,
  lines: Lines,
  version: Type.Integer({ description: 'Changes so far' }),
  nextStepAt: Type.Union([Timestamp, Type.Null()], { description: "The carrier simulator's next step" }),
  history: Type.Array(
    Type.Object({
      from: Type.Union([Status, Type.Null()]),
      to: Status,
      cause: Type.String({ description: "'event:<type>', 'carrier', 'admin:<user id>'" }),
      reason: Type.Union([Type.String(), Type.Null()]),
      location: Place,
      at: Timestamp,
    }),
  ),
});
