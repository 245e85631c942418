// Product lookups go through the chassis's resilient client to a real HTTP server standing for the
// product service. When it is down (stopped, or answering 5xx) a product the cart has seen is
// priced as last known; one it has never seen is a clear 503; once it is back, its answers count
// again. A product gone from the catalog (404) is forgotten, not served from memory.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { anonymousCart, assertProblem, type CartFixture, eventually, product, startCart } from './helpers.ts';

let f: CartFixture;
before(async () => {
  f = await startCart();
});
after(async () => {
  await f?.close();
});

/** Until adding `productId` succeeds through the catalog (the breaker closed again after an outage). */
async function catalogAnswering(headers: Record<string, string>, productId: string): Promise<void> {
  await eventually(
    'the product service answers',
    async () => (await add(headers, productId)).statusCode === 200,
  );
}

const add = (headers: Record<string, string>, productId: string, quantity = 1) =>
  f.app.inject({ method: 'POST', url: '/carts/me/lines', headers, payload: { productId, quantity } });

describe('product service down', () => {
  it('prices a product seen before from memory, refuses one never seen with 503, and recovers', async () => {
    const [seen, unseen] = f.stock(product({ price: { amountMinor: 700, currency: 'USD' } }), product());
    const { headers } = await anonymousCart(f);
    assert.equal((await add(headers, seen?.id as string)).statusCode, 200);

    await f.products.stop();
    const fromMemory = await add(headers, seen?.id as string, 2);
    assert.equal(fromMemory.statusCode, 200, fromMemory.body);
    assert.equal(fromMemory.json().lines[0].quantity, 3);
    assert.deepEqual(fromMemory.json().lines[0].unitPrice, { amountMinor: 700, currency: 'USD' });
    const never = await add(headers, unseen?.id as string);
    assertProblem(never, 503);
    assert.match(never.json().detail, /product/);

    // Back, with a new price: once the circuit breaker lets a trial call through (half-open after
    // 5 s), the catalog's answer wins over memory again.
    (f.products.products.get(seen?.id as string) as { price: unknown }).price = {
      amountMinor: 650,
      currency: 'USD',
    };
    await f.products.start();
    await catalogAnswering(headers, unseen?.id as string);
    const callsBefore = f.products.calls;
    const fresh = await add(headers, seen?.id as string);
    assert.equal(fresh.statusCode, 200, fresh.body);
    assert.ok(f.products.calls > callsBefore, 'the product service was asked');
    const line = fresh.json().lines.find((l: { productId: string }) => l.productId === seen?.id);
    assert.deepEqual(line.unitPrice, { amountMinor: 650, currency: 'USD' });
  });

  it('a 5xx from the product service also falls back; a 404 forgets the product', async () => {
    const [p] = f.stock(product());
    const { headers } = await anonymousCart(f);
    await catalogAnswering(headers, p?.id as string);
    f.products.failWith = 500;
    try {
      assert.equal((await add(headers, p?.id as string)).statusCode, 200);
    } finally {
      f.products.failWith = undefined;
    }
    f.products.products.delete(p?.id as string);
    await eventually(
      'the circuit lets calls through',
      async () => (await add(headers, p?.id as string)).statusCode === 422,
    );
    assertProblem(await add(headers, p?.id as string), 422, 'cart.product_unavailable');
    await f.products.stop();
    try {
      assertProblem(await add(headers, p?.id as string), 503);
    } finally {
      await f.products.start();
    }
  });
});
