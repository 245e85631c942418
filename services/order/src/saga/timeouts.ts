// The saga's timeouts: a waiting order whose deadline passed is cancelled (stock_timeout while it
// waits for inventory, payment_timeout while it waits for payment). One order per transaction,
// taken with SKIP LOCKED, so replicas sweep side by side and an order whose answer is being applied
// right now is left to that answer.
import { type PeriodicTask, startPeriodicTask, withTransaction } from '@shopnow/chassis';
import type pg from 'pg';
import type { OrderContext } from '../context.ts';
import { lockNextTimedOut } from '../store/orders.ts';
import { advanceLocked } from './checkout-saga.ts';

/** Cancels what timed out, at most `limit` orders; resolves to how many it cancelled. */
export async function cancelTimedOutOrders(db: pg.Pool, ctx: OrderContext, limit = 500): Promise<number> {
  let cancelled = 0;
  while (cancelled < limit) {
    const done = await withTransaction(db, async (tx) => {
      const due = await lockNextTimedOut(tx);
      if (due === undefined) return false;
      const step = due.status === 'pending' ? 'stock' : 'payment';
      const result = await advanceLocked(
        tx,
        ctx,
        due,
        { kind: due.status === 'pending' ? 'stock_timeout' : 'payment_timeout' },
        { cause: `timeout:${step}` },
      );
      if (result.outcome !== 'moved') throw new Error(`order ${due.id} has a deadline but cannot time out`);
      ctx.logger.warn({ orderId: due.id, step }, 'order timed out waiting and was cancelled');
      return true;
    });
    if (!done) break;
    cancelled += 1;
  }
  return cancelled;
}

export type Sweeper = PeriodicTask;

/** Runs cancelTimedOutOrders every `intervalMs`; a failed sweep (database away) is logged and retried. */
export function startTimeoutSweeper(db: pg.Pool, ctx: OrderContext, intervalMs: number): Sweeper {
  return startPeriodicTask({
    intervalMs,
    run: () => cancelTimedOutOrders(db, ctx),
    logger: ctx.logger,
    failureMessage: 'order timeout sweep failed',
  });
}
