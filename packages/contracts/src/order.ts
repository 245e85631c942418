// The order service's events: the checkout saga starts with order.placed.v1 and ends with
// order.confirmed.v1 or order.cancelled.v1. Inventory reserves on the first, sells on the second
// and releases on the third; shipping and notification read lines, totals and address later.
import { type Static, Type } from 'typebox';
import { defineEvent } from './define-event.ts';
import { MoneySchema } from './money.ts';

const closed = { additionalProperties: false } as const;
const OrderId = Type.String({ format: 'uuid' });
const UserId = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });

/** An order may hold at most this many lines, and a line at most this many units. */
export const MAX_ORDER_LINES = 100;
export const MAX_LINE_QUANTITY = 1000;

/** One line of an order, priced by the order service from the catalog at placement. */
export const OrderLineSchema = Type.Object(
  {
    productId: Type.String({ format: 'uuid' }),
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_LINE_QUANTITY }),
    unitPrice: MoneySchema,
  },
  closed,
);
export type OrderLine = Static<typeof OrderLineSchema>;

const Lines = Type.Array(OrderLineSchema, { minItems: 1, maxItems: MAX_ORDER_LINES });

/** Where a confirmed order goes: the profile service's address fields, without its label. */
export const ShippingAddressSchema = Type.Object(
  {
    recipientName: Type.String({ minLength: 1, maxLength: 200 }),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    region: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
    postalCode: Type.Union([Type.String({ maxLength: 20 }), Type.Null()]),
    /** ISO 3166-1 alpha-2. */
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    phone: Type.Union([Type.String({ maxLength: 20 }), Type.Null()]),
  },
  closed,
);
export type ShippingAddress = Static<typeof ShippingAddressSchema>;

const Totals = {
  subtotal: MoneySchema,
  shipping: MoneySchema,
  tax: MoneySchema,
  total: MoneySchema,
};

/** An order was accepted: inventory reserves every line or none. */
export const OrderPlacedV1 = defineEvent(
  'order.placed.v1',
  Type.Object({ orderId: OrderId, userId: UserId, lines: Lines, ...Totals, placedAt: Instant }, closed),
);

/** Stock reserved and payment captured: inventory sells the reservation, the cart is cleared. */
export const OrderConfirmedV1 = defineEvent(
  'order.confirmed.v1',
  Type.Object(
    {
      orderId: OrderId,
      userId: UserId,
      lines: Lines,
      ...Totals,
      shippingAddress: ShippingAddressSchema,
      confirmedAt: Instant,
      /** The cart the order came from, when it came from one. */
      cartId: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]),
    },
    closed,
  ),
);

/**
 * Reasons an order is cancelled with today. The contract takes any stable code (lower-case,
 * underscores) so a new reason needs no new version; consumers treat unknown ones alike.
 */
export const ORDER_CANCEL_REASONS = [
  'out_of_stock',
  'payment_declined',
  'customer_request',
  'reservation_expired',
] as const;

/** The order ended without being fulfilled: inventory releases an active reservation. */
export const OrderCancelledV1 = defineEvent(
  'order.cancelled.v1',
  Type.Object(
    {
      orderId: OrderId,
      userId: UserId,
      reason: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
      /**
       * A captured payment is to be refunded: the order was paid (confirmed) when it was cancelled.
       * False does not mean nothing was captured: payment refunds any capture of a cancelled order,
       * including one that lands after the cancellation.
       */
      refunded: Type.Boolean(),
      cancelledAt: Instant,
    },
    closed,
  ),
);

/**
 * Stock is reserved: the payment service is to charge `amount` with the shopper's card token. One
 * order is charged at most once whatever is redelivered (the processor's key derives from the order).
 */
export const OrderPaymentRequestedV1 = defineEvent(
  'order.payment_requested.v1',
  Type.Object(
    {
      orderId: OrderId,
      userId: UserId,
      amount: MoneySchema,
      /** The card processor's token (`tok_…`), made by the shopper's browser; never card data. */
      cardToken: Type.String({ pattern: '^tok_[A-Za-z0-9_]{1,200}$' }),
      requestedAt: Instant,
    },
    closed,
  ),
);

export const orderEvents = [
  OrderPlacedV1,
  OrderConfirmedV1,
  OrderCancelledV1,
  OrderPaymentRequestedV1,
] as const;
