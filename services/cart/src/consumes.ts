// Every event the cart service consumes, with its consumer group and handler: the one place to
// look. Carts may live in Redis, which cannot join the inbox's transaction, so each handler's
// effect is idempotent by itself (see domain/repricing.ts); the inbox still drops redeliveries.
import { OrderConfirmedV1, ProductPriceChangedV1 } from '@shopnow/contracts';
import { consume } from '@shopnow/events';
import { clearOrderedLines } from './carts/checkout.ts';
import { repriceCarts } from './carts/repricing.ts';
import type { CartContext } from './context.ts';

export function cartSubscriptions(ctx: CartContext) {
  return [
    consume(ProductPriceChangedV1, 'cart.repricing', async (event) => {
      await repriceCarts(ctx, event.data, Date.parse(event.time));
    }),
    consume(OrderConfirmedV1, 'cart.checkout', async (event) => {
      await clearOrderedLines(ctx, event.data);
    }),
  ];
}
