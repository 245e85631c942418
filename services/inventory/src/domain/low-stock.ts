// inventory.stock_low.v1 is sent once per crossing: when available falls below the threshold and
// was not already announced; the flag re-arms once available is back at or above the threshold.

export interface LowStockState {
  available: number;
  threshold: number;
  /** stock_low was already sent for the current dip. */
  alerted: boolean;
}

export type LowStockTransition = 'alert' | 'rearm' | 'none';

export function lowStockTransition({ available, threshold, alerted }: LowStockState): LowStockTransition {
  const below = available < threshold;
  if (below && !alerted) return 'alert';
  if (!below && alerted) return 'rearm';
  return 'none';
}

/**
 * The flag a new SKU starts with: a SKU created below its threshold (no stock yet) has not
 * "dropped" below it, so it is treated as announced until stock rises above and falls again.
 */
export function initiallyAlerted(available: number, threshold: number): boolean {
  return available < threshold;
}
