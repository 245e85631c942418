// Stored rows → response bodies.
import { thresholdOf } from '../stock/stock-levels.ts';
import type { MovementRecord } from '../store/movements.ts';
import type { StockRow } from '../store/stock.ts';

export function stockView(row: StockRow, defaultThreshold: number) {
  const effective = thresholdOf(row, defaultThreshold);
  return {
    sku: row.sku,
    productId: row.productId,
    available: row.available,
    reserved: row.reserved,
    sold: row.sold,
    active: row.active,
    lowThreshold: { effective, own: row.lowThreshold },
    low: row.available < effective,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function movementView(movement: MovementRecord) {
  return { ...movement, at: movement.at.toISOString() };
}
