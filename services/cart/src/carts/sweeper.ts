// Deletes carts idle past CART_IDLE_DAYS every CART_SWEEP_INTERVAL_MS while the app runs, in
// batches. Reads already treat an idle cart as gone (current-cart.ts); the sweeper frees the
// space. A failed sweep (store away) is logged and tried again at the next tick.
import { startPeriodicTask } from '@shopnow/chassis';
import type { CartContext } from '../context.ts';

const BATCH = 500;

export interface Sweeper {
  /** One sweep now (tests); resolves to how many carts were deleted. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startSweeper(ctx: CartContext, intervalMs: number): Sweeper {
  const sweep = async (): Promise<number> => {
    const before = ctx.now() - ctx.settings.idleMs;
    let total = 0;
    for (;;) {
      const deleted = await ctx.store.deleteIdle(before, BATCH);
      total += deleted;
      if (deleted < BATCH) return total;
    }
  };
  const task = startPeriodicTask({
    intervalMs,
    run: async () => {
      const deleted = await sweep();
      if (deleted > 0) ctx.logger.info({ deleted }, 'idle carts deleted');
    },
    logger: ctx.logger,
    failureMessage: 'idle cart sweep failed',
  });
  return { sweep, stop: () => task.stop() };
}
