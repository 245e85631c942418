// order.confirmed.v1 → the ordered products leave the cart the order came from (cartId), only if
// that cart is the ordering user's (domain/repricing.ts removeOrdered).
import type { EventData, OrderConfirmedV1 } from '@shopnow/contracts';
import type { CartContext } from '../context.ts';
import { removeOrdered } from '../domain/repricing.ts';

export async function clearOrderedLines(
  ctx: CartContext,
  order: EventData<typeof OrderConfirmedV1>,
): Promise<void> {
  if (order.cartId === null) return;
  const productIds = order.lines.map((line) => line.productId.toLowerCase());
  await ctx.store.update(order.cartId.toLowerCase(), (cart) =>
    removeOrdered(cart, { userId: order.userId, productIds }, ctx.now()),
  );
}
