// The events payment answers an order with, built from the payment row so a repeated answer is
// the same as the first.
import { PaymentFailedV1, PaymentRefundedV1, PaymentSucceededV1 } from '@shopnow/contracts';
import type pg from 'pg';
import type { PaymentContext } from '../context.ts';
import type { Payment } from '../store/payments.ts';

const money = (p: Payment, amountMinor = p.amountMinor) => ({ amountMinor, currency: p.currency });

export async function announceSucceeded(tx: pg.ClientBase, ctx: PaymentContext, p: Payment): Promise<void> {
  await ctx.events.publish(tx, PaymentSucceededV1, {
    subject: p.orderId,
    data: {
      orderId: p.orderId,
      paymentId: p.id,
      chargeId: p.chargeId as string,
      amount: money(p),
      succeededAt: (p.capturedAt ?? new Date()).toISOString(),
    },
  });
}

export async function announceFailed(tx: pg.ClientBase, ctx: PaymentContext, p: Payment): Promise<void> {
  await ctx.events.publish(tx, PaymentFailedV1, {
    subject: p.orderId,
    data: {
      orderId: p.orderId,
      paymentId: p.id,
      reason: p.failureReason as string,
      retryable: false,
      failedAt: p.updatedAt.toISOString(),
    },
  });
}

export async function announceRefunded(
  tx: pg.ClientBase,
  ctx: PaymentContext,
  p: Payment,
  amountMinor: number,
): Promise<void> {
  await ctx.events.publish(tx, PaymentRefundedV1, {
    subject: p.orderId,
    data: {
      orderId: p.orderId,
      paymentId: p.id,
      refundId: p.refundId as string,
      amount: money(p, amountMinor),
      refundedAt: (p.refundedAt ?? new Date()).toISOString(),
    },
  });
}
