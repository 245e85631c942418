// The worker: every PAYMENT_POLL_INTERVAL_MS it claims the payments whose next call is due (a
// lease, SKIP LOCKED: replicas share them) and makes their calls side by side: a charge, a refund,
// or the settlement of a cancelled one. A full batch is followed at once by the next. A failed
// step (database away) is logged; its payment is taken again when the lease runs out.
import { startPeriodicTask } from '@shopnow/chassis';
import type pg from 'pg';
import type { WorkerContext } from '../context.ts';
import { claimDue, type Payment } from '../store/payments.ts';
import { chargePayment } from './charge.ts';
import { refundPayment } from './refund.ts';
import { settleCancelled } from './settle.ts';

export interface Worker {
  /** One pass: claims and works what is due now; resolves to how many payments it took. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startWorker(
  db: pg.Pool,
  ctx: WorkerContext,
  options: { intervalMs: number; batchSize: number },
): Worker {
  const step = (payment: Payment): Promise<unknown> => {
    if (payment.status === 'refunding') return refundPayment(db, ctx, payment);
    if (payment.orderCancelledAt !== null) return settleCancelled(db, ctx, payment);
    return chargePayment(db, ctx, payment);
  };

  const runOnce = async (): Promise<number> => {
    const claimed = await claimDue(db, options.batchSize, ctx.settings.leaseMs);
    await Promise.all(
      claimed.map((payment) =>
        step(payment).catch((err: unknown) =>
          ctx.logger.error({ err, orderId: payment.orderId, paymentId: payment.id }, 'payment step failed'),
        ),
      ),
    );
    return claimed.length;
  };

  const task = startPeriodicTask({
    intervalMs: options.intervalMs,
    run: async (signal) => {
      while (!signal.aborted && (await runOnce()) === options.batchSize) {}
    },
    logger: ctx.logger,
    failureMessage: 'payment worker pass failed',
  });
  return { runOnce, stop: () => task.stop() };
}
