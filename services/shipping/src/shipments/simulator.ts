// The carrier simulator: every CARRIER_SWEEP_INTERVAL_MS, each shipment whose next step is due
// makes it (scheduled → picked_up → in_transit → out_for_delivery → delivered, one step per
// CARRIER_STEP_SECONDS). One shipment per transaction, taken with SKIP LOCKED, moved by a
// conditional UPDATE: replicas simulate side by side and never double-advance. A failed sweep
// (database away) is logged and tried again at the next tick.
import { type PeriodicTask, startPeriodicTask, withTransaction } from '@shopnow/chassis';
import type pg from 'pg';
import type { ShippingContext } from '../context.ts';
import { lockNextDue } from '../store/shipments.ts';
import { moveOnce } from './move.ts';

/** Makes the due steps, at most `limit`; resolves to how many it made. */
export async function advanceDueShipments(db: pg.Pool, ctx: ShippingContext, limit = 500): Promise<number> {
  let advanced = 0;
  while (advanced < limit) {
    const moved = await withTransaction(db, async (tx) => {
      const due = await lockNextDue(tx);
      if (due === undefined) return false;
      const result = await moveOnce(tx, ctx, due, { kind: 'advance' }, 'carrier');
      return result.outcome === 'moved';
    });
    if (!moved) break;
    advanced += 1;
  }
  return advanced;
}

export type Simulator = PeriodicTask;

export function startSimulator(db: pg.Pool, ctx: ShippingContext, intervalMs: number): Simulator {
  return startPeriodicTask({
    intervalMs,
    run: async () => {
      const advanced = await advanceDueShipments(db, ctx);
      if (advanced > 0) ctx.logger.debug({ advanced }, 'carrier steps made');
    },
    logger: ctx.logger,
    failureMessage: 'carrier simulation failed',
  });
}
