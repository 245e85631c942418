// Request and response schemas (TypeBox → JSON Schema): validation, OpenAPI and serialisation
// from one definition. Every request object refuses unknown properties.
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '@shopnow/contracts';
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });
const Money = Type.Object({ amountMinor: Type.Integer({ minimum: 0 }), currency: Type.String() });
const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('awaiting_payment'),
  Type.Literal('confirmed'),
  Type.Literal('shipped'),
  Type.Literal('delivered'),
  Type.Literal('cancelled'),
]);
const Cursor = Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' });
const Limit = Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE });

// ---- requests ----
export const OrderParams = Type.Object({ id: Uuid }, strict);
export const NoQuery = Type.Object({}, strict);

export const PlaceOrderHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Required: a retry with it never orders twice',
    }),
  ),
});
export const WriteHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

export const PlaceOrderBody = Type.Object(
  {
    cardToken: Type.String({
      pattern: '^tok_[A-Za-z0-9_]{1,96}$',
      description: "The card processor's token, made for this customer by the browser",
    }),
    addressId: Type.String({ format: 'uuid', description: "One of the customer's addresses (profile)" }),
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          { productId: Uuid, quantity: Type.Integer({ minimum: 1, maximum: MAX_LINE_QUANTITY }) },
          strict,
        ),
        { minItems: 1, maxItems: MAX_ORDER_LINES, description: "Absent: the customer's cart" },
      ),
    ),
  },
  strict,
);

export const MyOrdersQuery = Type.Object(
  { limit: Type.Optional(Limit), cursor: Type.Optional(Cursor), status: Type.Optional(Status) },
  strict,
);

export const AdminOrdersQuery = Type.Object(
  {
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
    status: Type.Optional(Status),
    userId: Type.Optional(Uuid),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Created before' })),
  },
  strict,
);

// ---- responses ----
const Links = Type.Object({ self: Type.String(), events: Type.String() });

export const Accepted = Type.Object({ orderId: Uuid, status: Status, links: Links });

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

const Totals = { subtotal: Money, shipping: Money, tax: Money, total: Money };

export const OrderSummary = Type.Object({
  id: Uuid,
  userId: Uuid,
  status: Status,
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  total: Money,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const Order = Type.Object({
  ...OrderSummary.properties,
  ...Totals,
  /** A captured payment is to be refunded (cancelled after it was paid). */
  refundDue: Type.Boolean(),
  lines: Type.Array(
    Type.Object({
      productId: Uuid,
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      unitPrice: Money,
      lineTotal: Money,
    }),
  ),
  shippingAddress: Address,
  cartId: Type.Union([Type.String(), Type.Null()]),
  /** When the step the order waits in times out; null once it waits for nothing. */
  waitingUntil: Type.Union([Timestamp, Type.Null()]),
  version: Type.Integer({ description: 'Transitions so far (the status stream event id)' }),
  links: Links,
});

export const OrderPage = Type.Object({
  items: Type.Array(OrderSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const AdminOrder = Type.Object({
  ...Order.properties,
  timeline: Type.Array(
    Type.Object({
      from: Type.Union([Status, Type.Null()]),
      to: Status,
      cause: Type.String(),
      reason: Type.Union([Type.String(), Type.Null()]),
      eventId: Type.Union([Uuid, Type.Null()]),
      at: Timestamp,
    }),
  ),
});
