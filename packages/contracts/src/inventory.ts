// The inventory service's events: its answer to order.placed.v1 (reserved or rejected), the
// sweeper's release of a reservation that outlived its time, low-stock alerts, and a sold-out
// SKU available again.
import { type Static, Type } from 'typebox';
import { defineEvent } from './define-event.ts';
import { MAX_ORDER_LINES } from './order.ts';

const closed = { additionalProperties: false } as const;
const OrderId = Type.String({ format: 'uuid' });
const Sku = Type.String({ minLength: 1, maxLength: 64 });
const Count = Type.Integer({ minimum: 0 });

/** Every line of the order is held for it until `expiresAt` (then released, unless confirmed). */
export const InventoryStockReservedV1 = defineEvent(
  'inventory.stock_reserved.v1',
  Type.Object(
    {
      orderId: OrderId,
      reservationId: Type.Optional(Type.String({ format: 'uuid' })),
      /** Per SKU (an order's lines of one SKU are summed). */
      lines: Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) }, closed), {
        minItems: 1,
        maxItems: MAX_ORDER_LINES,
      }),
      expiresAt: Type.String({ format: 'date-time' }),
    },
    closed,
  ),
);

/** Why an order's stock could not be reserved. */
export const StockRejectionReasonSchema = Type.Union([
  /** Some SKU has fewer units available than the order asks for. */
  Type.Literal('out_of_stock'),
  /** Some SKU is not stocked at all. */
  Type.Literal('unknown_sku'),
  /** Some SKU belongs to a product taken off sale. */
  Type.Literal('product_inactive'),
]);
export type StockRejectionReason = Static<typeof StockRejectionReasonSchema>;

/** Nothing was reserved: `lines` are the ones that could not be served, with what was available. */
export const InventoryStockRejectedV1 = defineEvent(
  'inventory.stock_rejected.v1',
  Type.Object(
    {
      orderId: OrderId,
      reason: StockRejectionReasonSchema,
      lines: Type.Array(Type.Object({ sku: Sku, requested: Count, available: Count }, closed), {
        minItems: 1,
        maxItems: MAX_ORDER_LINES,
      }),
    },
    closed,
  ),
);

/** The reservation outlived its time unconfirmed and its stock went back: the order must cancel. */
export const InventoryReservationExpiredV1 = defineEvent(
  'inventory.reservation_expired.v1',
  Type.Object({ orderId: OrderId, expiredAt: Type.String({ format: 'date-time' }) }, closed),
);

/** A SKU's available stock fell below its threshold (once per crossing, not on every sale below). */
export const InventoryStockLowV1 = defineEvent(
  'inventory.stock_low.v1',
  Type.Object(
    { sku: Sku, productId: Type.String({ format: 'uuid' }), available: Count, threshold: Count },
    closed,
  ),
);

/** A SKU that had sold out (available 0) has units available again, and its product is on sale. */
export const InventoryBackInStockV1 = defineEvent(
  'inventory.back_in_stock.v1',
  Type.Object(
    { sku: Sku, productId: Type.String({ format: 'uuid' }), available: Type.Integer({ minimum: 1 }) },
    closed,
  ),
);

export const inventoryEvents = [
  InventoryStockReservedV1,
  InventoryStockRejectedV1,
  InventoryReservationExpiredV1,
  InventoryStockLowV1,
  InventoryBackInStockV1,
] as const;
