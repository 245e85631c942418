// The events a catalog write publishes, written to the outbox in the write's own transaction.
import { ProductCreatedV1, ProductPriceChangedV1, ProductUpdatedV1 } from '@shopnow/contracts';
import type { Events } from '@shopnow/events';
import type pg from 'pg';
import type { Product } from '../domain/product.ts';
import { changedFields, priceChanged } from '../domain/product-changes.ts';

function published(product: Product) {
  return {
    productId: product.id,
    sku: product.sku,
    slug: product.slug,
    name: product.name,
    category: product.category,
    price: { amountMinor: product.price.amountMinor, currency: product.price.currency },
    active: product.active,
  };
}

export async function publishCreated(events: Events, tx: pg.ClientBase, product: Product): Promise<void> {
  await events.publish(tx, ProductCreatedV1, { subject: product.id, data: published(product) });
}

/** product.updated.v1 when anything changed, and product.price_changed.v1 when the price did. */
export async function publishChanges(
  events: Events,
  tx: pg.ClientBase,
  before: Product,
  after: Product,
): Promise<void> {
  const changed = changedFields(before, after);
  if (changed.length === 0) return;
  await events.publish(tx, ProductUpdatedV1, { subject: after.id, data: { ...published(after), changed } });
  if (priceChanged(before, after)) {
    await events.publish(tx, ProductPriceChangedV1, {
      subject: after.id,
      data: {
        productId: after.id,
        sku: after.sku,
        oldPrice: { amountMinor: before.price.amountMinor, currency: before.price.currency },
        newPrice: { amountMinor: after.price.amountMinor, currency: after.price.currency },
      },
    });
  }
}
