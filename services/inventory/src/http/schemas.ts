// Request and response schemas (TypeBox → JSON Schema): validation, OpenAPI and serialisation
// from one definition. Every request object refuses unknown properties.
import { Type } from 'typebox';
import { SKU_PATTERN } from '../domain/sku.ts';

const strict = { additionalProperties: false } as const;

/** At most this many SKUs per availability read (a cart's worth). */
export const MAX_AVAILABILITY_SKUS = 100;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Movements shown with a SKU. */
export const RECENT_MOVEMENTS = 20;
/** A single restock or adjustment moves at most this many units. */
export const MAX_UNITS_PER_CHANGE = 1_000_000;

const Sku = Type.String({ pattern: SKU_PATTERN, description: 'Compared case-insensitively' });
const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });
const Count = Type.Integer({ minimum: 0 });
// Something to read, not just spaces; no NUL (Postgres text cannot hold it).
const Reason = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000]*\\S[^\\u0000]*$' });

// ---- requests ----
export const SkuParams = Type.Object({ sku: Sku }, strict);
export const OrderParams = Type.Object({ orderId: Uuid }, strict);
export const NoQuery = Type.Object({}, strict);

export const AvailabilityQuery = Type.Object(
  {
    sku: Type.Array(Sku, {
      minItems: 1,
      maxItems: MAX_AVAILABILITY_SKUS,
      description: 'Repeat: ?sku=A&sku=B',
    }),
  },
  strict,
);

export const StockListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'nextCursor of the previous page' }),
    ),
    low: Type.Optional(Type.Boolean({ description: 'Only SKUs below their low-stock threshold' })),
  },
  strict,
);

export const WriteHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

export const RestockBody = Type.Object(
  { quantity: Type.Integer({ minimum: 1, maximum: MAX_UNITS_PER_CHANGE }), reason: Reason },
  strict,
);

export const AdjustmentBody = Type.Object(
  {
    delta: Type.Integer({
      minimum: -MAX_UNITS_PER_CHANGE,
      maximum: MAX_UNITS_PER_CHANGE,
      not: { const: 0 },
      description: 'Units added (positive) or removed (negative) from available; never 0',
    }),
    reason: Reason,
  },
  strict,
);

export const ThresholdBody = Type.Object(
  {
    threshold: Type.Union([Type.Integer({ minimum: 0, maximum: MAX_UNITS_PER_CHANGE }), Type.Null()], {
      description: "The SKU's own low-stock threshold; null returns it to the service default",
    }),
  },
  strict,
);

// ---- responses ----
export const Availability = Type.Object({
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      available: Count,
      /** False when the product is off sale: nothing can be reserved, whatever the count. */
      purchasable: Type.Boolean(),
    }),
  ),
  /** Requested SKUs no stock is kept for. */
  unknown: Type.Array(Type.String()),
});

export const OneAvailability = Type.Object({
  sku: Type.String(),
  available: Count,
  purchasable: Type.Boolean(),
});

export const Stock = Type.Object({
  sku: Type.String(),
  productId: Uuid,
  available: Count,
  reserved: Count,
  sold: Count,
  active: Type.Boolean(),
  lowThreshold: Type.Object({
    effective: Count,
    /** The SKU's own, or null when the service default applies. */
    own: Type.Union([Count, Type.Null()]),
  }),
  low: Type.Boolean(),
  updatedAt: Timestamp,
});

export const StockPage = Type.Object({
  items: Type.Array(Stock),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const Movement = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  available: Type.Integer(),
  reserved: Type.Integer(),
  sold: Type.Integer(),
  orderId: Type.Union([Uuid, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  at: Timestamp,
});

export const StockDetail = Type.Object({ ...Stock.properties, movements: Type.Array(Movement) });

export const Reservation = Type.Object({
  orderId: Uuid,
  reservationId: Uuid,
  status: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
