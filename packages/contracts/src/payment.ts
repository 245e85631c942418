// The payment service's events: its answer to order.payment_requested.v1 (succeeded, or failed for
// good) and the refund of a captured charge once its order is cancelled. A provider outage is never
// a failure here: payment keeps retrying and the order waits.
import { type Static, Type } from 'typebox';
import { defineEvent } from './define-event.ts';
import { MoneySchema } from './money.ts';

const closed = { additionalProperties: false } as const;
const OrderId = Type.String({ format: 'uuid' });
/** The payment service's own id of the order's payment (one per order). */
const PaymentId = Type.String({ format: 'uuid' });
/** An id the card processor gave (`ch_…`, `re_…`): opaque to ShopNow. */
const ProviderId = Type.String({ minLength: 1, maxLength: 100 });
const Instant = Type.String({ format: 'date-time' });

/**
 * Reasons a payment fails for good today. The contract takes any stable code (lower-case,
 * underscores) so a new reason needs no new version; consumers treat unknown ones alike.
 */
export const PAYMENT_FAILURE_REASONS = [
  /** The issuer declined the card. */
  'card_declined',
  'insufficient_funds',
  /** The card token is unknown, expired, already used or another customer's. */
  'token_invalid',
  /** The processor failed in a way it says is final. */
  'processing_error',
  /** The processor refused the request itself (an amount it cannot charge, a conflicting request). */
  'request_rejected',
] as const;

export const PaymentFailureReasonSchema = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' });

/** The order's amount was captured: the order may be confirmed. */
export const PaymentSucceededV1 = defineEvent(
  'payment.succeeded.v1',
  Type.Object(
    {
      orderId: OrderId,
      paymentId: PaymentId,
      chargeId: ProviderId,
      amount: MoneySchema,
      succeededAt: Instant,
    },
    closed,
  ),
);

/** Nothing was captured and nothing will be: the order must cancel. Never sent for an outage. */
export const PaymentFailedV1 = defineEvent(
  'payment.failed.v1',
  Type.Object(
    {
      orderId: OrderId,
      paymentId: PaymentId,
      reason: PaymentFailureReasonSchema,
      /** Always false: a retryable failure is retried by payment, not reported. */
      retryable: Type.Literal(false),
      failedAt: Instant,
    },
    closed,
  ),
);
export type PaymentFailureReason = Static<typeof PaymentFailureReasonSchema>;

/** A captured charge was given back in full because its order was cancelled. */
export const PaymentRefundedV1 = defineEvent(
  'payment.refunded.v1',
  Type.Object(
    {
      orderId: OrderId,
      paymentId: PaymentId,
      refundId: ProviderId,
      amount: MoneySchema,
      refundedAt: Instant,
    },
    closed,
  ),
);

export const paymentEvents = [PaymentSucceededV1, PaymentFailedV1, PaymentRefundedV1] as const;
