// At login the anonymous cart's lines join the user's cart: a product in both gets the summed
// quantity (capped at the line maximum, so merging never fails on quantity alone) and the
// price that is most recent in the catalog. More lines than a cart may hold refuses the merge
// whole: dropping lines silently would lose what the customer chose.
import { mergedKeys } from './applied-keys.ts';
import { type Cart, type CartLine, findLine } from './cart.ts';
import { touched } from './cart-changes.ts';
import { CartRuleError } from './cart-rule-error.ts';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from './limits.ts';

export function mergeCarts(target: Cart, source: Cart, now: number): Cart {
  const lines: CartLine[] = target.lines.map((line) => {
    const other = findLine(source, line.productId);
    if (other === undefined) return line;
    const newer = other.priceAsOf > line.priceAsOf ? other : line;
    return {
      ...newer,
      quantity: Math.min(MAX_LINE_QUANTITY, line.quantity + other.quantity),
      addedAt: Math.min(line.addedAt, other.addedAt),
    };
  });
  for (const line of source.lines) {
    if (findLine(target, line.productId) === undefined) lines.push(line);
  }
  if (lines.length > MAX_CART_LINES) {
    throw new CartRuleError(
      'cart.too_many_lines',
      `Merging would make ${lines.length} lines; a cart holds at most ${MAX_CART_LINES}`,
    );
  }
  const currencies = new Set(lines.map((line) => line.unitPrice.currency));
  if (currencies.size > 1) {
    throw new CartRuleError(
      'cart.currency_mismatch',
      `The carts are priced in ${[...currencies].join(' and ')}`,
    );
  }
  return touched({ ...target, lines, appliedKeys: mergedKeys(target, source) }, now);
}
