import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EventCatalog,
  envelopeProblems,
  eventDomain,
  identityEvents,
  inventoryEvents,
  orderEvents,
  ProductPriceChangedV1,
  paymentEvents,
  platformEvents,
  productEvents,
  shippingEvents,
} from '../src/index.ts';

const envelope = (data: unknown, overrides: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: '0b6f1d7e-8c1a-4f63-9c35-3c2e3f5b9a10',
  type: ProductPriceChangedV1.type,
  source: 'product',
  time: '2026-11-22T08:00:00.000Z',
  subject: '044cc1bd-fe15-855b-adf8-665060f4104d',
  datacontenttype: 'application/json',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  data,
  ...overrides,
});

const priceChange = {
  productId: '044cc1bd-fe15-855b-adf8-665060f4104d',
  sku: 'AUD-001',
  oldPrice: { amountMinor: 19900, currency: 'USD' },
  newPrice: { amountMinor: 17900, currency: 'USD' },
};

describe('event contracts', () => {
  it('every platform event has a versioned name and is registered once', () => {
    const catalog = platformEvents();
    assert.deepEqual(
      catalog.types.sort(),
      [
        ...productEvents,
        ...identityEvents,
        ...orderEvents,
        ...inventoryEvents,
        ...paymentEvents,
        ...shippingEvents,
      ]
        .map((c) => c.type)
        .sort(),
    );
    for (const type of catalog.types) assert.match(type, /^[a-z_]+\.[a-z_]+\.v\d+$/);
    assert.throws(() => catalog.add(ProductPriceChangedV1), /defined twice/);
  });

  it('accepts a well-formed envelope whose data fits its schema', () => {
    assert.deepEqual(platformEvents().problems(envelope(priceChange)), []);
  });

  it('names the field when data breaks the schema', () => {
    const bad = { ...priceChange, newPrice: { amountMinor: -1, currency: 'usd' } };
    const problems = platformEvents().problems(envelope(bad));
    assert.ok(
      problems.some((p) => p.startsWith('data/newPrice/amountMinor')),
      problems.join('; '),
    );
    assert.ok(
      problems.some((p) => p.startsWith('data/newPrice/currency')),
      problems.join('; '),
    );
  });

  it('refuses a malformed envelope, an unknown type and unknown fields', () => {
    const catalog = platformEvents();
    assert.ok(envelopeProblems('not an object').length > 0);
    assert.ok(catalog.problems(envelope(priceChange, { specversion: '0.3' })).length > 0);
    assert.ok(catalog.problems(envelope(priceChange, { traceparent: 'nope' })).length > 0);
    assert.ok(catalog.problems(envelope(priceChange, { extra: 1 })).length > 0);
    assert.deepEqual(catalog.problems(envelope(priceChange, { type: 'order.shipped.v1' })), [
      'unknown event type order.shipped.v1',
    ]);
    assert.ok(new EventCatalog().problems(envelope(priceChange)).length > 0);
  });

  it('takes the domain from the type', () => {
    assert.equal(eventDomain('product.price_changed.v1'), 'product');
  });
});
