// What the catalog's events do to a cart. Both are idempotent by themselves (a redelivered or
// late event changes nothing), because the Redis store cannot share the inbox's transaction.
import { type Cart, type Money, sameMoney } from './cart.ts';

/**
 * product.price_changed.v1: lines of the product take the new price, unless they were priced at
 * or after `changedAt` already (a redelivery, or an older change arriving late). The price the
 * customer chose at is kept in priceChangedFrom so the change can be shown; a price that comes
 * back to it shows no change. Returns `cart` itself when nothing changes (nothing is saved).
 */
export function reprice(
  cart: Cart,
  productId: string,
  newPrice: Money,
  changedAt: number,
  now: number,
): Cart {
  let changed = false;
  const lines = cart.lines.map((line) => {
    if (line.productId !== productId || line.priceAsOf >= changedAt) return line;
    changed = true;
    const chosen = line.priceChangedFrom ?? line.unitPrice;
    return {
      ...line,
      unitPrice: newPrice,
      priceChangedFrom: sameMoney(chosen, newPrice) ? null : chosen,
      priceAsOf: changedAt,
    };
  });
  // A re-price is not the customer's activity: activeAt (idle expiry) stays.
  return changed ? { ...cart, lines, updatedAt: now } : cart;
}

/**
 * order.confirmed.v1: the ordered products leave the cart; lines added for other products while
 * the order was paid stay. Removing is idempotent. A cart of another user is left alone, whatever
 * the event says. Returns `cart` itself when nothing changes.
 */
export function removeOrdered(
  cart: Cart,
  order: { userId: string; productIds: readonly string[] },
  now: number,
): Cart {
  if (cart.userId === null || cart.userId.toLowerCase() !== order.userId.toLowerCase()) return cart;
  const ordered = new Set(order.productIds);
  const lines = cart.lines.filter((line) => !ordered.has(line.productId));
  if (lines.length === cart.lines.length) return cart;
  return { ...cart, lines, updatedAt: now, activeAt: now };
}
