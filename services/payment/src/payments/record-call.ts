// After a call to the processor: one transaction that locks the payment, records the call as an
// attempt, and lets the step apply its outcome to the payment as it is now (a cancel may have
// arrived while the call ran). A call to retry is rescheduled with backoff, the same key kept.
import { withTransaction } from '@shopnow/chassis';
import { backoffDelayMs } from '@shopnow/events';
import type pg from 'pg';
import type { WorkerContext } from '../context.ts';
import type { PaymentStatus } from '../domain/payment-status.ts';
import { type ProviderReply, replySummary } from '../domain/provider-reply.ts';
import type { Verdict } from '../domain/verdicts.ts';
import { type AttemptKind, recordAttempt } from '../store/attempts.ts';
import { findPayment, type Payment, updatePayment } from '../store/payments.ts';

export interface Call<T> {
  kind: AttemptKind;
  startedAt: Date;
  reply: ProviderReply;
  verdict: Verdict<T>;
}

/**
 * Records `call` on the payment and runs `apply` with a final verdict (it decides what the
 * payment's state now allows; it counts the attempt). A call to retry reschedules the payment
 * while it is still in `expected` state. Resolves to what `apply` returned, or undefined.
 */
export async function recordCall<T, R>(
  db: pg.Pool,
  ctx: WorkerContext,
  paymentId: string,
  expected: PaymentStatus,
  call: Call<T>,
  apply: (
    tx: pg.PoolClient,
    payment: Payment,
    verdict: Exclude<Verdict<T>, { outcome: 'retry' }>,
  ) => Promise<R>,
): Promise<R | undefined> {
  const { verdict } = call;
  const summary = replySummary(call.reply);
  ctx.metrics?.calls.inc({ kind: call.kind, outcome: verdict.outcome });
  return withTransaction(db, async (tx) => {
    const payment = (await findPayment(tx, { id: paymentId }, { forUpdate: true })) as Payment;
    await recordAttempt(tx, paymentId, {
      kind: call.kind,
      outcome: verdict.outcome,
      ...summary,
      maybeSent: verdict.outcome === 'succeeded' || (verdict.outcome === 'retry' && verdict.maybeSent),
      startedAt: call.startedAt,
    });
    if (verdict.outcome !== 'retry') return apply(tx, payment, verdict);
    const lastError = `${summary.httpStatus ?? 'no answer'} ${summary.code ?? ''}`.trim();
    if (payment.status !== expected) {
      await updatePayment(tx, paymentId, { attempted: true, lastError });
      return undefined;
    }
    const delay = backoffDelayMs(payment.attempts + 1, ctx.settings.retryBaseMs, ctx.settings.retryMaxMs);
    await updatePayment(tx, paymentId, {
      attempted: true,
      lastError,
      nextAttemptAt: new Date(Date.now() + delay),
    });
    ctx.logger.warn(
      { orderId: payment.orderId, paymentId, kind: call.kind, error: lastError, retryInMs: delay },
      'processor call to retry',
    );
    return undefined;
  });
}
