// The worker's settlement of a pending payment whose order was cancelled. When no charge call can
// have gone through (none was made, or each one certainly moved no money), it is abandoned without
// asking anything. Otherwise a charge may exist whose answer was lost: once such a call has had
// time to finish at the processor (PAYMENT_SETTLE_MS), the processor's charges of the order are
// looked up; one found is recorded as captured and refunded, none means abandoned. Charging
// again with the key to find out would charge a cancelled order.
import { withTransaction } from '@shopnow/chassis';
import type pg from 'pg';
import type { WorkerContext } from '../context.ts';
import { lookupVerdict } from '../domain/verdicts.ts';
import { lastMaybeSentCharge } from '../store/attempts.ts';
import { findPayment, type Payment, updatePayment } from '../store/payments.ts';
import { announceSucceeded } from './answers.ts';
import { recordCall } from './record-call.ts';

export async function settleCancelled(db: pg.Pool, ctx: WorkerContext, claimed: Payment): Promise<void> {
  const since = await lastMaybeSentCharge(db, claimed.id);
  const settledAt = since === null ? undefined : new Date(since.getTime() + ctx.settings.settleMs);
  if (settledAt === undefined || settledAt > new Date()) {
    await withTransaction(db, async (tx) => {
      const payment = (await findPayment(tx, { id: claimed.id }, { forUpdate: true })) as Payment;
      if (payment.status !== 'pending') return;
      await updatePayment(
        tx,
        payment.id,
        settledAt === undefined ? { status: 'abandoned', nextAttemptAt: null } : { nextAttemptAt: settledAt },
      );
    });
    return;
  }

  const startedAt = new Date();
  const reply = await ctx.provider.succeededCharges(claimed.orderId);
  const call = { kind: 'lookup' as const, startedAt, reply, verdict: lookupVerdict(reply) };
  await recordCall(db, ctx, claimed.id, 'pending', call, async (tx, payment, verdict) => {
    if (payment.status !== 'pending' || verdict.outcome !== 'succeeded') {
      return updatePayment(tx, payment.id, { attempted: true });
    }
    const { chargeId } = verdict.value;
    if (chargeId === null) {
      return updatePayment(tx, payment.id, { status: 'abandoned', attempted: true, nextAttemptAt: null });
    }
    ctx.logger.warn(
      { orderId: payment.orderId, chargeId },
      'a charge of a cancelled order was found: refunding',
    );
    const captured = await updatePayment(tx, payment.id, {
      status: 'refunding',
      chargeId,
      captured: true,
      attempted: true,
      lastError: null,
      nextAttemptAt: new Date(),
    });
    await announceSucceeded(tx, ctx, captured);
    return captured;
  });
}
