// Request and response schemas (TypeBox → JSON Schema): validation, OpenAPI and serialisation
// from one definition. Every request object refuses unknown properties.
import { MoneySchema } from '@shopnow/contracts';
import { Type } from 'typebox';
import type { PaymentStatus } from '../domain/payment-status.ts';

const strict = { additionalProperties: false } as const;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const NullableText = Type.Union([Type.String(), Type.Null()]);
const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('captured'),
  Type.Literal('failed'),
  Type.Literal('abandoned'),
  Type.Literal('refunding'),
  Type.Literal('refunded'),
  Type.Literal('refund_failed'),
]) satisfies { anyOf: Array<{ const: PaymentStatus }> };

// ---- requests ----
export const PaymentParams = Type.Object({ id: Uuid }, strict);
export const NoQuery = Type.Object({}, strict);
export const PaymentListQuery = Type.Object(
  {
    orderId: Type.Optional(Uuid),
    status: Type.Optional(Status),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'nextCursor of the previous page' }),
    ),
  },
  strict,
);

// ---- responses ----
export const Payment = Type.Object({
  id: Uuid,
  orderId: Uuid,
  userId: Uuid,
  amount: MoneySchema,
  status: Status,
  /** The processor's charge, once captured. */
  chargeId: NullableText,
  refundId: NullableText,
  failureReason: NullableText,
  orderCancelledAt: NullableTimestamp,
  /** Calls made to the processor so far. */
  attemptCount: Type.Integer({ minimum: 0 }),
  /** When the next call is due; null when none is left to make. */
  nextAttemptAt: NullableTimestamp,
  lastError: NullableText,
  requestedAt: Timestamp,
  capturedAt: NullableTimestamp,
  refundedAt: NullableTimestamp,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const PaymentPage = Type.Object({
  items: Type.Array(Payment),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const Attempt = Type.Object({
  kind: Type.Union([Type.Literal('charge'), Type.Literal('refund'), Type.Literal('lookup')]),
  outcome: Type.Union([
    Type.Literal('succeeded'),
    Type.Literal('declined'),
    Type.Literal('rejected'),
    Type.Literal('retry'),
  ]),
  /** The processor's HTTP status; null when no answer came. */
  httpStatus: Type.Union([Type.Integer(), Type.Null()]),
  /** The processor's problem code, or why no answer came (timeout, circuit_open, unreachable, …). */
  code: NullableText,
  maybeSent: Type.Boolean(),
  startedAt: Timestamp,
  finishedAt: Timestamp,
});

export const PaymentDetail = Type.Object({ ...Payment.properties, attempts: Type.Array(Attempt) });
