// Stored carts → response bodies.
import type { Cart } from '../domain/cart.ts';
import { itemCount, subtotal } from '../domain/totals.ts';

export function cartView(cart: Cart, emptyCurrency: string) {
  return {
    id: cart.id,
    lines: cart.lines.map((line) => ({
      productId: line.productId,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      priceChangedFrom: line.priceChangedFrom,
    })),
    itemCount: itemCount(cart),
    subtotal: subtotal(cart, emptyCurrency),
    updatedAt: new Date(cart.updatedAt).toISOString(),
  };
}
