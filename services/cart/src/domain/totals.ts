// What the customer sees of a cart: item count and subtotal. A cart has one currency
// (cart-changes.ts refuses a second); an empty one counts in `emptyCurrency`.
import type { Cart, Money } from './cart.ts';

export function itemCount(cart: Cart): number {
  return cart.lines.reduce((sum, line) => sum + line.quantity, 0);
}

export function subtotal(cart: Cart, emptyCurrency: string): Money {
  const currency = cart.lines[0]?.unitPrice.currency ?? emptyCurrency;
  // A re-price into another currency (the catalog changed a product's currency) is the one way a
  // second currency can enter; such lines are left out of a sum that cannot hold them.
  const amountMinor = cart.lines
    .filter((line) => line.unitPrice.currency === currency)
    .reduce((sum, line) => sum + line.unitPrice.amountMinor * line.quantity, 0);
  return { amountMinor, currency };
}
