// Every event the product service consumes, with its consumer group and handler: the one place
// to look. Each handler runs in the transaction that records the event in the inbox.
import { ProductPriceChangedV1 } from '@shopnow/contracts';
import { consume } from '@shopnow/events';
import { recordPriceChange } from './store/price-history.ts';

export const productSubscriptions = [
  // The price-history projection (GET /products/:id/price-history).
  consume(ProductPriceChangedV1, 'product.price-history', async (event, tx) => {
    await recordPriceChange(tx, {
      eventId: event.id,
      productId: event.data.productId,
      oldPrice: event.data.oldPrice,
      newPrice: event.data.newPrice,
      changedAt: event.time,
    });
  }),
];
