// Runs expireDueReservations every RESERVATION_SWEEP_INTERVAL_MS while the app runs. A failed
// sweep (database away) is logged and tried again at the next tick.
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { expireDueReservations } from './expire.ts';

export interface Sweeper {
  stop(): Promise<void>;
}

export function startSweeper(db: pg.Pool, ctx: InventoryContext, intervalMs: number): Sweeper {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running !== undefined) return;
    running = expireDueReservations(db, ctx)
      .then((expired) => {
        if (expired > 0) ctx.logger.info({ expired }, 'expired reservations released');
      })
      .catch((err: unknown) => ctx.logger.error({ err }, 'reservation sweep failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
