// The worker's charge of a pending payment: the processor is asked with the order's key, so
// however often this runs (retries, a crashed worker's lease taken over, replicas) the order is
// charged at most once and a lost answer is answered again. A capture whose order was cancelled
// meanwhile goes straight to refunding.
import type pg from 'pg';
import type { WorkerContext } from '../context.ts';
import { afterCapture } from '../domain/payment-status.ts';
import { chargeVerdict } from '../domain/verdicts.ts';
import { chargeKey } from '../provider/provider-client.ts';
import { type Payment, updatePayment } from '../store/payments.ts';
import { announceFailed, announceSucceeded } from './answers.ts';
import { recordCall } from './record-call.ts';

export async function chargePayment(db: pg.Pool, ctx: WorkerContext, claimed: Payment): Promise<void> {
  const startedAt = new Date();
  const reply = await ctx.provider.charge({
    idempotencyKey: chargeKey(claimed.orderId),
    orderId: claimed.orderId,
    userId: claimed.userId,
    amountMinor: claimed.amountMinor,
    currency: claimed.currency,
    cardToken: claimed.cardToken,
  });
  const call = { kind: 'charge' as const, startedAt, reply, verdict: chargeVerdict(reply) };
  await recordCall(db, ctx, claimed.id, 'pending', call, async (tx, payment, verdict) => {
    if (verdict.outcome === 'succeeded') {
      const next = afterCapture(payment.status, payment.orderCancelledAt !== null);
      if (next === undefined) return updatePayment(tx, payment.id, { attempted: true });
      const captured = await updatePayment(tx, payment.id, {
        status: next,
        chargeId: verdict.value.chargeId,
        captured: true,
        attempted: true,
        lastError: null,
        nextAttemptAt: next === 'refunding' ? new Date() : null,
      });
      await announceSucceeded(tx, ctx, captured);
      return captured;
    }
    if (payment.status !== 'pending') return updatePayment(tx, payment.id, { attempted: true });
    const failed = await updatePayment(tx, payment.id, {
      status: 'failed',
      failureReason: verdict.reason,
      attempted: true,
      lastError: call.reply.kind === 'answer' ? `${call.reply.status} ${call.reply.code ?? ''}`.trim() : null,
      nextAttemptAt: null,
    });
    await announceFailed(tx, ctx, failed);
    return failed;
  });
}
