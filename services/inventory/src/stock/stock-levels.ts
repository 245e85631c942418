// After counts move, in the transaction that moved them: stock_low for each SKU that just fell
// below its threshold (and the flag re-armed for each back above it), and back_in_stock for each
// sold-out SKU with units available again (and the sold-out mark for each that reached 0).
import { InventoryBackInStockV1, InventoryStockLowV1 } from '@shopnow/contracts';
import type pg from 'pg';
import type { InventoryContext } from '../context.ts';
import { lowStockTransition } from '../domain/low-stock.ts';
import { soldOutTransition } from '../domain/sold-out.ts';
import { type StockRow, setStockFlags } from '../store/stock.ts';

export function thresholdOf(row: Pick<StockRow, 'lowThreshold'>, defaultThreshold: number): number {
  return row.lowThreshold ?? defaultThreshold;
}

export async function announceStockLevels(
  tx: pg.ClientBase,
  ctx: InventoryContext,
  rows: readonly StockRow[],
): Promise<void> {
  for (const row of rows) {
    const threshold = thresholdOf(row, ctx.settings.lowStockThreshold);
    const low = lowStockTransition({ available: row.available, threshold, alerted: row.lowAlerted });
    const soldOut = soldOutTransition(row);
    if (low === 'none' && soldOut === 'none') continue;
    // Both flags in one write: a sale that empties a SKU crosses its threshold too.
    await setStockFlags(tx, row.sku, {
      lowAlerted: low === 'none' ? row.lowAlerted : low === 'alert',
      soldOut: soldOut === 'none' ? row.soldOut : soldOut === 'sold_out',
    });
    if (low === 'alert') {
      await ctx.events.publish(tx, InventoryStockLowV1, {
        subject: row.sku,
        data: { sku: row.sku, productId: row.productId, available: row.available, threshold },
      });
    }
    if (soldOut === 'back_in_stock') {
      await ctx.events.publish(tx, InventoryBackInStockV1, {
        subject: row.sku,
        data: { sku: row.sku, productId: row.productId, available: row.available },
      });
    }
  }
}
