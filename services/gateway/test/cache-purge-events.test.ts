// Purge by events, end to end over a real event bus (the PostgreSQL transport): a price change
// published like the product service publishes it drops the product pages within a second.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ProductPriceChangedV1 } from '@shopnow/contracts';
import { createPostgresTransport, type OutgoingMessage, type Transport } from '@shopnow/events';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import { startCachePurge, tagsFor } from '../src/cache/purge-subscriber.ts';
import { ResponseCache, type ServeInput } from '../src/cache/response-cache.ts';
import { eventually, recordingLogger, SETTINGS, startUpstream, type Upstream } from './cache-helpers.ts';

let bus: TestDatabase;
let gatewayBus: Transport;
let productBus: Transport;
let upstream: Upstream;
let purge: { close(): Promise<void> };
const { logger, lines } = recordingLogger('debug');
const cache = new ResponseCache({ logger });

const productPage: ServeInput = {
  key: 'product-page',
  tags: ['product'],
  settings: SETTINGS,
  authenticated: false,
};
const reviewPage: ServeInput = {
  key: 'review-page',
  tags: ['review'],
  settings: SETTINGS,
  authenticated: false,
};

/** A product.price_changed.v1 as the product service's outbox relay publishes it. */
function priceChanged(): OutgoingMessage {
  const productId = randomUUID();
  const envelope = {
    specversion: '1.0',
    id: randomUUID(),
    type: ProductPriceChangedV1.type,
    source: 'product',
    time: new Date().toISOString(),
    subject: productId,
    datacontenttype: 'application/json',
    data: {
      productId,
      sku: 'SKU-1',
      oldPrice: { amountMinor: 1299, currency: 'EUR' },
      newPrice: { amountMinor: 999, currency: 'EUR' },
    },
  };
  assert.deepEqual(ProductPriceChangedV1.problems(envelope.data), []);
  return { id: envelope.id, type: envelope.type, subject: envelope.subject, body: JSON.stringify(envelope) };
}

before(async () => {
  bus = await testDatabase();
  upstream = await startUpstream();
  gatewayBus = createPostgresTransport({ connectionString: bus.url });
  productBus = createPostgresTransport({ connectionString: bus.url });
  await gatewayBus.start();
  await productBus.start();
  purge = await startCachePurge({
    transport: gatewayBus,
    group: 'gateway.cache.test',
    purgeOn: { 'product.': ['product'] },
    cache,
    logger,
  });
});
after(async () => {
  await purge?.close();
  await gatewayBus?.close();
  await productBus?.close();
  await cache.close();
  await upstream?.close();
  await bus?.drop();
});

describe('cache purge by events', () => {
  it('maps event types to tags by prefix', () => {
    const purgeOn = { 'product.': ['product'], 'product.price': ['prices'], 'identity.': ['me'] };
    assert.deepEqual(tagsFor('product.price_changed.v1', purgeOn).sort(), ['prices', 'product']);
    assert.deepEqual(tagsFor('product.created.v1', purgeOn), ['product']);
    assert.deepEqual(tagsFor('order.placed.v1', purgeOn), []);
  });

  it('a product.price_changed.v1 on the bus purges the product tag within 1 s, and only it', async () => {
    assert.equal((await cache.serve(productPage, upstream.fetch())).state, 'MISS');
    assert.equal((await cache.serve(reviewPage, upstream.fetch())).state, 'MISS');
    assert.equal((await cache.serve(productPage, upstream.fetch())).state, 'HIT');

    const published = performance.now();
    await productBus.publish([priceChanged()]);
    // Polling with serve is safe: a HIT leaves the entry as it is.
    await eventually(
      async () => (await cache.serve(productPage, upstream.fetch())).state === 'MISS',
      1000,
      'the purge',
    );
    const elapsed = performance.now() - published;
    assert.ok(elapsed < 1000, `purged after ${elapsed} ms`);
    assert.equal((await cache.serve(reviewPage, upstream.fetch())).state, 'HIT');
    assert.ok(lines.some((line) => line.msg === 'response cache: purged by event'));
  });

  it('a malformed event is acknowledged with a warning, and purging goes on', async () => {
    await cache.serve(productPage, upstream.fetch());
    assert.equal((await cache.serve(productPage, upstream.fetch())).state, 'HIT');
    await productBus.publish([
      { id: randomUUID(), type: ProductPriceChangedV1.type, subject: 'x', body: 'not json {' },
    ]);
    await eventually(
      () => lines.some((line) => line.level === 'warn' && /malformed purge event/.test(String(line.msg))),
      5000,
      'the warning',
    );
    assert.equal((await cache.serve(productPage, upstream.fetch())).state, 'HIT');
    await productBus.publish([priceChanged()]);
    await eventually(
      async () => (await cache.serve(productPage, upstream.fetch())).state === 'MISS',
      1000,
      'the purge',
    );
  });
});
