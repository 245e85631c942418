// First-start demo data: categories, products with generated images, and reviews.
// Runs only on an empty catalog, under a transaction-scoped advisory lock, so running it
// twice (or from two replicas at once) never duplicates anything.
// Each seeded product is announced (product.created.v1) through the outbox in the seed's own
// transaction, like an admin's create, so inventory stocks the demo catalog; the running
// service's relay sends the events (this one-off process never talks to the bus).
import { createLogger, type Logger, withTransaction } from '@shopnow/chassis';
import { type Events, outboxOnlyEvents } from '@shopnow/events';
import type pg from 'pg';
import { defaultImages } from '../domain/product.ts';
import { slugify } from '../domain/slug.ts';
import { productCatalog } from '../events/catalog.ts';
import { publishCreated } from '../events/publish-product-events.ts';
import { insertCategory } from '../store/categories.ts';
import { catalogIsEmpty, insertProduct } from '../store/products.ts';
import { addReviewsOfProduct } from '../store/reviews.ts';
import { SEED_CATEGORIES } from './categories.ts';
import { SEED_PRODUCTS } from './products.ts';
import { seedReviewsFor } from './reviews.ts';
import { stableUuid } from './stable-uuid.ts';

export interface SeedResult {
  seeded: boolean;
  categories: number;
  products: number;
  reviews: number;
}

// Fixed timestamps keep the seed identical everywhere; later products are "newer".
const FIRST_PRODUCT_AT = Date.parse('2025-01-06T09:00:00.000Z');
const HOUR = 3_600_000;

export async function seedCatalog(pool: pg.Pool, logger?: Logger): Promise<SeedResult> {
  const events = outboxOnlyEvents({
    service: 'product',
    db: pool,
    catalog: productCatalog,
    logger: logger ?? createLogger({ service: 'product', version: 'seed', level: 'silent' }),
  });
  const result = await withTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('shopnow.product.seed'))");
    if (!(await catalogIsEmpty(client))) return { seeded: false, categories: 0, products: 0, reviews: 0 };
    return insertSeed(client, events);
  });
  logger?.info(
    { ...result },
    result.seeded ? 'catalog seeded' : 'catalog already has products; seed skipped',
  );
  return result;
}

async function insertSeed(client: pg.PoolClient, events: Pick<Events, 'publish'>): Promise<SeedResult> {
  for (const [position, category] of SEED_CATEGORIES.entries()) {
    await insertCategory(client, { ...category, position });
  }
  let reviews = 0;
  for (const [index, p] of SEED_PRODUCTS.entries()) {
    const id = stableUuid(`product:${p.sku}`);
    const createdAt = new Date(FIRST_PRODUCT_AT + index * 7 * HOUR);
    const product = await insertProduct(
      client,
      id,
      {
        sku: p.sku,
        slug: slugify(p.name),
        name: p.name,
        description: p.description,
        category: p.category,
        price: { amountMinor: p.price, currency: 'USD' },
        images: defaultImages(id, p.name),
        attributes: p.attributes,
        active: true,
      },
      createdAt,
    );
    // publishCreated takes the service's Events; an outbox-only one publishes the same way.
    await publishCreated(events as Events, client, product);
    reviews += await addReviewsOfProduct(
      client,
      id,
      seedReviewsFor(p.sku).map((review, i) => ({
        ...review,
        createdAt: new Date(createdAt.getTime() + (i + 1) * 26 * HOUR),
      })),
    );
  }
  return { seeded: true, categories: SEED_CATEGORIES.length, products: SEED_PRODUCTS.length, reviews };
}
