// Runs expireDueReservations every RESERVATION_SWEEP_INTERVAL_MS while the app runs. A failed
// sweep (database away) is logged and tried again at the next tick.
import { type PeriodicTask, startPeriodicTask } from '@shopnow/chassis';
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { expireDueReservations } from './expire.ts';

export type Sweeper = PeriodicTask;

export function startSweeper(db: pg.Pool, ctx: InventoryContext, intervalMs: number): Sweeper {
  return startPeriodicTask({
    intervalMs,
    run: async () => {
      const expired = await expireDueReservations(db, ctx);
      if (expired > 0) ctx.logger.info({ expired }, 'expired reservations released');
    },
    logger: ctx.logger,
    failureMessage: 'reservation sweep failed',
  });
}
