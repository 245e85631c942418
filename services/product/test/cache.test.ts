// The product-by-id read cache: TTL, single-flight loads, invalidation races, and how stale
// another replica may be (bounded by PRODUCT_CACHE_TTL_MS until product events exist).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../src/app.ts';
import { ProductCache } from '../src/cache/product-cache.ts';
import {
  ADMIN,
  type ProductFixture,
  productIdBySku,
  startProduct,
  testConfig,
  testIdentity,
} from './helpers.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('ProductCache', () => {
  it('serves from memory until the TTL passes', async () => {
    let now = 1000;
    const cache = new ProductCache({ ttlMs: 50, now: () => now });
    let loads = 0;
    const load = async () => ({ n: ++loads });
    assert.equal((await cache.get('a', load))?.body, '{"n":1}');
    assert.equal((await cache.get('a', load))?.body, '{"n":1}');
    now += 51;
    assert.equal((await cache.get('a', load))?.body, '{"n":2}');
  });

  it('shares one load between concurrent misses', async () => {
    const cache = new ProductCache({ ttlMs: 1000 });
    const gate = deferred<object>();
    let loads = 0;
    const load = () => {
      loads++;
      return gate.promise;
    };
    const all = Promise.all([cache.get('a', load), cache.get('a', load), cache.get('a', load)]);
    gate.resolve({ x: 1 });
    const results = await all;
    assert.equal(loads, 1);
    assert.ok(results.every((r) => r?.body === '{"x":1}'));
  });

  it('does not store a load that an invalidation overtook', async () => {
    const cache = new ProductCache({ ttlMs: 1000 });
    const slow = deferred<object>();
    const pending = cache.get('a', () => slow.promise);
    cache.invalidate('a'); // a write committed while the (older) read was in flight
    slow.resolve({ version: 'old' });
    await pending;
    assert.equal((await cache.get('a', async () => ({ version: 'new' })))?.body, '{"version":"new"}');
  });

  it('does not cache misses or failures, and turns off with TTL 0', async () => {
    const cache = new ProductCache({ ttlMs: 1000 });
    assert.equal(await cache.get('a', async () => undefined), undefined);
    assert.equal((await cache.get('a', async () => ({ ok: 1 })))?.body, '{"ok":1}');
    await assert.rejects(cache.get('b', async () => Promise.reject(new Error('db down'))));
    assert.equal((await cache.get('b', async () => ({ ok: 2 })))?.body, '{"ok":2}');
    const off = new ProductCache({ ttlMs: 0 });
    let loads = 0;
    await off.get('a', async () => ({ n: ++loads }));
    await off.get('a', async () => ({ n: ++loads }));
    assert.equal(loads, 2);
    assert.equal(off.size, 0);
  });

  it('evicts the oldest entry when full', async () => {
    const cache = new ProductCache({ ttlMs: 1000, maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) await cache.get(id, async () => ({ id }));
    assert.equal(cache.size, 2);
    let reloaded = false;
    await cache.get('a', async () => {
      reloaded = true;
      return { id: 'a' };
    });
    assert.ok(reloaded);
  });

  it('gives equal bodies equal strong ETags', async () => {
    const cache = new ProductCache({ ttlMs: 0 });
    const one = await cache.get('a', async () => ({ a: 1 }));
    const two = await cache.get('a', async () => ({ a: 1 }));
    const three = await cache.get('a', async () => ({ a: 2 }));
    assert.equal(one?.etag, two?.etag);
    assert.notEqual(one?.etag, three?.etag);
  });
});

describe('two replicas on one database', () => {
  let f: ProductFixture;
  before(async () => {
    f = await startProduct({ cacheTtlMs: 300 });
  });
  after(async () => {
    await f?.close();
  });

  it('a write on one replica reaches the other within the TTL', async () => {
    const other = await buildApp({
      config: testConfig(300),
      db: f.pool,
      identity: testIdentity(),
      transport: f.newTransport(),
    });
    try {
      const id = await productIdBySku(f.pool, 'HOM-001');
      const read = async () =>
        (await other.inject({ method: 'GET', url: `/products/${id}` })).json().price.amountMinor;
      const original = await read();
      const res = await f.app.inject({
        method: 'PUT',
        url: `/admin/products/${id}/price`,
        headers: ADMIN,
        payload: { amountMinor: original + 1, currency: 'USD' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(await read(), original, 'the other replica may serve its cached copy...');
      await sleep(350);
      assert.equal(await read(), original + 1, '...but no longer than PRODUCT_CACHE_TTL_MS');
    } finally {
      await other.close();
    }
  });
});
