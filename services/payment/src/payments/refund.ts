// The worker's refund of a captured payment whose order was cancelled: everything left of the
// charge, with the order's refund key (one refund per order, whatever is retried). A refusal by
// the processor is final and logged as an error: an operator must look at it.
import type pg from 'pg';
import type { WorkerContext } from '../context.ts';
import { refundVerdict } from '../domain/verdicts.ts';
import { refundKey } from '../provider/provider-client.ts';
import { type Payment, updatePayment } from '../store/payments.ts';
import { announceRefunded } from './answers.ts';
import { recordCall } from './record-call.ts';

export async function refundPayment(db: pg.Pool, ctx: WorkerContext, claimed: Payment): Promise<void> {
  const startedAt = new Date();
  const reply = await ctx.provider.refund({
    idempotencyKey: refundKey(claimed.orderId),
    orderId: claimed.orderId,
    chargeId: claimed.chargeId as string,
  });
  const call = { kind: 'refund' as const, startedAt, reply, verdict: refundVerdict(reply) };
  await recordCall(db, ctx, claimed.id, 'refunding', call, async (tx, payment, verdict) => {
    if (payment.status !== 'refunding') return updatePayment(tx, payment.id, { attempted: true });
    if (verdict.outcome === 'succeeded') {
      const refunded = await updatePayment(tx, payment.id, {
        status: 'refunded',
        refundId: verdict.value.refundId,
        refunded: true,
        attempted: true,
        lastError: null,
        nextAttemptAt: null,
      });
      await announceRefunded(tx, ctx, refunded, verdict.value.amountMinor);
      return refunded;
    }
    const code = reply.kind === 'answer' ? `${reply.status} ${reply.code ?? ''}`.trim() : null;
    ctx.logger.error(
      { orderId: payment.orderId, paymentId: payment.id, code },
      'the processor refused a refund',
    );
    return updatePayment(tx, payment.id, {
      status: 'refund_failed',
      attempted: true,
      lastError: code,
      nextAttemptAt: null,
    });
  });
}
