// The customer's changes to a cart. Each returns a new cart (the input is never mutated) or throws
// CartRuleError, in which case nothing is saved.
import { type Cart, type CartLine, findLine, type Money } from './cart.ts';
import { CartRuleError } from './cart-rule-error.ts';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from './limits.ts';

/** What the catalog said about a product, and when that was true. */
export interface PricedProduct {
  productId: string;
  sku: string;
  name: string;
  price: Money;
  asOf: number;
}

/** Adds `quantity` units: a new line, or more of an existing one, priced as the catalog says now. */
export function addLine(cart: Cart, product: PricedProduct, quantity: number, now: number): Cart {
  const existing = findLine(cart, product.productId);
  if (existing === undefined) {
    if (cart.lines.length >= MAX_CART_LINES) {
      throw new CartRuleError('cart.too_many_lines', `A cart holds at most ${MAX_CART_LINES} lines`);
    }
    assertCurrency(cart, product.price, product.productId);
    assertQuantity(quantity);
    const line: CartLine = {
      productId: product.productId,
      sku: product.sku,
      name: product.name,
      quantity,
      unitPrice: product.price,
      priceChangedFrom: null,
      priceAsOf: product.asOf,
      addedAt: now,
    };
    return touched({ ...cart, lines: [...cart.lines, line] }, now);
  }
  assertQuantity(existing.quantity + quantity);
  // The customer chose again with the catalog's answer in front of them: that price is now theirs,
  // unless a price change newer than this answer was already applied to the line.
  const fresher = product.asOf >= existing.priceAsOf;
  if (fresher) assertCurrency(cart, product.price, product.productId);
  return replaceLine(cart, now, {
    ...existing,
    quantity: existing.quantity + quantity,
    ...(fresher
      ? { sku: product.sku, name: product.name, unitPrice: product.price, priceAsOf: product.asOf }
      : {}),
    priceChangedFrom: null,
  });
}

/** Sets a line's quantity; the customer has seen its price, so a shown price change is settled. */
export function setQuantity(cart: Cart, productId: string, quantity: number, now: number): Cart {
  const existing = lineOrThrow(cart, productId);
  assertQuantity(quantity);
  return replaceLine(cart, now, { ...existing, quantity, priceChangedFrom: null });
}

export function removeLine(cart: Cart, productId: string, now: number): Cart {
  lineOrThrow(cart, productId);
  return touched({ ...cart, lines: cart.lines.filter((line) => line.productId !== productId) }, now);
}

export function clearLines(cart: Cart, now: number): Cart {
  return touched({ ...cart, lines: [] }, now);
}

function lineOrThrow(cart: Cart, productId: string): CartLine {
  const line = findLine(cart, productId);
  if (line === undefined)
    throw new CartRuleError('cart.line_not_found', `The cart has no line for product ${productId}`);
  return line;
}

function replaceLine(cart: Cart, now: number, line: CartLine): Cart {
  return touched(
    { ...cart, lines: cart.lines.map((each) => (each.productId === line.productId ? line : each)) },
    now,
  );
}

/** A change by the customer: counts as activity for idle expiry. */
export function touched(cart: Cart, now: number): Cart {
  return { ...cart, updatedAt: now, activeAt: now };
}

export function assertQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
    throw new CartRuleError(
      'cart.quantity_limit',
      `A line holds 1 to ${MAX_LINE_QUANTITY} units (this change would make ${quantity})`,
    );
  }
}

/** One currency per cart, so its subtotal is one amount. */
function assertCurrency(cart: Cart, price: Money, productId: string): void {
  const other = cart.lines.find(
    (line) => line.productId !== productId && line.unitPrice.currency !== price.currency,
  );
  if (other !== undefined) {
    throw new CartRuleError(
      'cart.currency_mismatch',
      `Product ${productId} is priced in ${price.currency}; this cart is in ${other.unitPrice.currency}`,
    );
  }
}
