// What a customer asks for, before the catalog prices it: lines of (product, quantity). The same
// product twice is one line with the quantities summed, so inventory and the totals see it once.
export const MAX_LINES = 100;
export const MAX_QUANTITY = 1000;

export interface RequestedLine {
  productId: string;
  quantity: number;
}

export type LinesCheck = { ok: true; lines: RequestedLine[] } | { ok: false; problem: string };

export function mergeLines(requested: readonly RequestedLine[]): LinesCheck {
  if (requested.length === 0) return { ok: false, problem: 'an order needs at least one line' };
  const merged = new Map<string, number>();
  for (const line of requested) {
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      return { ok: false, problem: `quantity of ${line.productId} must be 1 to ${MAX_QUANTITY}` };
    }
    const id = line.productId.toLowerCase();
    merged.set(id, (merged.get(id) ?? 0) + line.quantity);
  }
  if (merged.size > MAX_LINES) return { ok: false, problem: `an order holds at most ${MAX_LINES} lines` };
  const lines: RequestedLine[] = [];
  for (const [productId, quantity] of merged) {
    if (quantity > MAX_QUANTITY) {
      return { ok: false, problem: `quantity of ${productId} adds up to more than ${MAX_QUANTITY}` };
    }
    lines.push({ productId, quantity });
  }
  return { ok: true, lines };
}
