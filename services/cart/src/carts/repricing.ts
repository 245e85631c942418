// product.price_changed.v1 → every cart holding the product shows the new price and the one it
// replaced (domain/repricing.ts decides; a late or repeated event changes nothing).
import type { EventData, ProductPriceChangedV1 } from '@shopnow/contracts';
import type { CartContext } from '../context.ts';
import { reprice } from '../domain/repricing.ts';

export async function repriceCarts(
  ctx: CartContext,
  change: EventData<typeof ProductPriceChangedV1>,
  changedAt: number,
): Promise<number> {
  const productId = change.productId.toLowerCase();
  ctx.products.notePrice(productId, change.newPrice, changedAt);
  let repriced = 0;
  for (const cartId of await ctx.store.cartsHoldingProduct(productId)) {
    let changed = false;
    await ctx.store.update(cartId, (cart) => {
      const next = reprice(cart, productId, change.newPrice, changedAt, ctx.now());
      changed = next !== cart;
      return next;
    });
    if (changed) repriced++;
  }
  return repriced;
}
