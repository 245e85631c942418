// After counts move: stock_low for each SKU that just fell below its threshold, and the flag
// re-armed for each that is back above it, in the transaction that moved them.
import { InventoryStockLowV1 } from '@shopnow/contracts';
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { lowStockTransition } from '../domain/low-stock.ts';
import { type StockRow, setLowAlerted } from '../store/stock.ts';

export function thresholdOf(row: Pick<StockRow, 'lowThreshold'>, defaultThreshold: number): number {
  return row.lowThreshold ?? defaultThreshold;
}

export async function announceLowStock(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  rows: readonly StockRow[],
): Promise<void> {
  for (const row of rows) {
    const threshold = thresholdOf(row, ctx.settings.lowStockThreshold);
    const transition = lowStockTransition({ available: row.available, threshold, alerted: row.lowAlerted });
    if (transition === 'none') continue;
    await setLowAlerted(tx, row.sku, transition === 'alert');
    if (transition === 'alert') {
      await ctx.events.publish(tx, InventoryStockLowV1, {
        subject: row.sku,
        data: { sku: row.sku, productId: row.productId, available: row.available, threshold },
      });
    }
  }
}
