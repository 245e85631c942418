// All or nothing: an order's lines are reserved only if every SKU exists, is on sale and has
// enough units available; otherwise nothing is, and the answer names the lines that failed.
import { normaliseSku } from './sku.ts';

export interface SkuQuantity {
  sku: string;
  quantity: number;
}

/** A SKU's state as read under its row lock. */
export interface StockLevel {
  sku: string;
  available: number;
  active: boolean;
}

export type RejectionReason = 'out_of_stock' | 'unknown_sku' | 'product_inactive';

export interface UnservedLine {
  sku: string;
  requested: number;
  available: number;
}

export type ReservationPlan =
  | { ok: true; lines: SkuQuantity[] }
  | { ok: false; reason: RejectionReason; lines: UnservedLine[] };

/**
 * An order's lines as one quantity per SKU, in SKU order: the order rows are locked in, the same
 * for every order, so two reservations never wait on each other in a cycle.
 */
export function perSku(lines: readonly SkuQuantity[]): SkuQuantity[] {
  const totals = new Map<string, number>();
  for (const line of lines) {
    const sku = normaliseSku(line.sku);
    totals.set(sku, (totals.get(sku) ?? 0) + line.quantity);
  }
  return [...totals]
    .map(([sku, quantity]) => ({ sku, quantity }))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/**
 * Decides a reservation from the locked levels. The first failing kind decides the reason (an
 * unknown SKU before an inactive one before a shortage: the order cannot be fixed by waiting),
 * and the answer lists every line of that kind.
 */
export function planReservation(
  wanted: readonly SkuQuantity[],
  levels: readonly StockLevel[],
): ReservationPlan {
  const bySku = new Map(levels.map((level) => [level.sku, level]));
  const unknown: UnservedLine[] = [];
  const inactive: UnservedLine[] = [];
  const short: UnservedLine[] = [];
  for (const { sku, quantity } of wanted) {
    const level = bySku.get(sku);
    if (level === undefined) unknown.push({ sku, requested: quantity, available: 0 });
    else if (!level.active) inactive.push({ sku, requested: quantity, available: level.available });
    else if (level.available < quantity) short.push({ sku, requested: quantity, available: level.available });
  }
  if (unknown.length > 0) return { ok: false, reason: 'unknown_sku', lines: unknown };
  if (inactive.length > 0) return { ok: false, reason: 'product_inactive', lines: inactive };
  if (short.length > 0) return { ok: false, reason: 'out_of_stock', lines: short };
  return { ok: true, lines: wanted.map(({ sku, quantity }) => ({ sku, quantity })) };
}

/** Whether every line can still be taken from `available` (a confirmation after expiry). */
export function canTakeAll(wanted: readonly SkuQuantity[], levels: readonly StockLevel[]): boolean {
  const bySku = new Map(levels.map((level) => [level.sku, level.available]));
  return wanted.every(({ sku, quantity }) => (bySku.get(sku) ?? 0) >= quantity);
}
