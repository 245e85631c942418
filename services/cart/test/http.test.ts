// The cart routes over the real app (Postgres store, real tokens, a product-like HTTP server):
// anonymous and user carts, every change, merge at login, limits, bad input (4xx problem+json,
// nothing stored changes), who may reach which cart (no IDOR), idle expiry and the sweeper.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  anonymousCart,
  assertProblem,
  type CartFixture,
  customer,
  DAY_MS,
  product,
  startCart,
} from './helpers.ts';

let f: CartFixture;
before(async () => {
  f = await startCart();
});
after(async () => {
  await f?.close();
});

type Headers = Record<string, string>;
interface CartBody {
  id: string;
  lines: Array<{
    productId: string;
    quantity: number;
    unitPrice: unknown;
    priceChangedFrom: unknown;
    sku: string;
    name: string;
  }>;
  itemCount: number;
  subtotal: { amountMinor: number; currency: string };
  updatedAt: string;
}

const getCart = (headers: Headers) => f.app.inject({ method: 'GET', url: '/carts/me', headers });
const cartOf = async (headers: Headers) => {
  const res = await getCart(headers);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as CartBody;
};
const add = (headers: Headers, productId: string, quantity: unknown = 1) =>
  f.app.inject({ method: 'POST', url: '/carts/me/lines', headers, payload: { productId, quantity } });
const merge = (headers: Headers, cartToken: string) =>
  f.app.inject({ method: 'POST', url: '/carts/me/merge', headers, payload: { cartToken } });

describe('anonymous carts', () => {
  it('POST /carts gives a cart and a token; the token opens it; lines are priced by the catalog', async () => {
    const [a, b] = f.stock(product({ price: { amountMinor: 1250, currency: 'USD' } }), product());
    const anon = await anonymousCart(f);
    assert.match(anon.cartToken, /^[A-Za-z0-9_-]{43}$/);
    const empty = await cartOf(anon.headers);
    assert.equal(empty.id, anon.cartId);
    assert.deepEqual(empty.lines, []);
    assert.deepEqual(empty.subtotal, { amountMinor: 0, currency: 'USD' });

    const res = await add(anon.headers, a?.id as string, 3);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    await add(anon.headers, b?.id as string, 1);
    const cart = await cartOf(anon.headers);
    assert.deepEqual(cart.lines[0], {
      productId: a?.id,
      sku: a?.sku,
      name: a?.name,
      quantity: 3,
      unitPrice: { amountMinor: 1250, currency: 'USD' },
      priceChangedFrom: null,
    });
    assert.equal(cart.itemCount, 4);
    assert.deepEqual(cart.subtotal, { amountMinor: 3 * 1250 + 1999, currency: 'USD' });
  });

  it('change quantity, remove a line, clear', async () => {
    const [a, b] = f.stock(product(), product());
    const { headers } = await anonymousCart(f);
    await add(headers, a?.id as string, 1);
    await add(headers, b?.id as string, 1);
    const put = await f.app.inject({
      method: 'PUT',
      url: `/carts/me/lines/${a?.id}`,
      headers,
      payload: { quantity: 9 },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal((put.json() as CartBody).itemCount, 10);
    const del = await f.app.inject({ method: 'DELETE', url: `/carts/me/lines/${b?.id}`, headers });
    assert.deepEqual(
      (del.json() as CartBody).lines.map((l) => l.productId),
      [a?.id],
    );
    assertProblem(
      await f.app.inject({ method: 'DELETE', url: `/carts/me/lines/${b?.id}`, headers }),
      404,
      'cart.line_not_found',
    );
    const cleared = await f.app.inject({ method: 'DELETE', url: '/carts/me', headers });
    assert.equal(cleared.statusCode, 200);
    assert.deepEqual((cleared.json() as CartBody).lines, []);
  });

  it('an unknown token → 404; a malformed one → 400; no credentials → 401', async () => {
    assertProblem(await getCart({ 'x-cart-token': 'A'.repeat(43) }), 404, 'cart.not_found');
    assertProblem(await getCart({ 'x-cart-token': 'short' }), 400);
    const res = await getCart({});
    assertProblem(res, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer/);
  });
});

describe('user carts and who reaches them', () => {
  it('a user has one cart, made on first use, and sees only their own', async () => {
    const [a] = f.stock(product());
    const alice = await customer(f);
    const bob = await customer(f);
    const first = await cartOf(alice.headers);
    assert.equal((await cartOf(alice.headers)).id, first.id);
    await add(alice.headers, a?.id as string, 2);
    const bobs = await cartOf(bob.headers);
    assert.notEqual(bobs.id, first.id);
    assert.deepEqual(bobs.lines, []);
    // Bob's changes touch only Bob's cart.
    await add(bob.headers, a?.id as string, 5);
    await f.app.inject({ method: 'DELETE', url: '/carts/me', headers: bob.headers });
    assert.equal((await cartOf(alice.headers)).lines[0]?.quantity, 2);
  });

  it('a user request uses the user’s cart even with a cart token; the anonymous cart stays apart', async () => {
    const [a] = f.stock(product());
    const alice = await customer(f);
    const anon = await anonymousCart(f);
    await add({ ...alice.headers, ...anon.headers }, a?.id as string, 1);
    assert.equal((await cartOf(alice.headers)).lines.length, 1);
    assert.equal((await cartOf(anon.headers)).lines.length, 0);
  });

  it('service tokens have no cart (403); forged identity headers without a token are not a user (401)', async () => {
    const service = { authorization: `Bearer ${await f.issuer.service('order')}` };
    assertProblem(await getCart(service), 403);
    assertProblem(await f.app.inject({ method: 'POST', url: '/carts', headers: service }), 403);
    assertProblem(await getCart({ 'x-user-id': randomUUID() }), 401);
    assertProblem(await getCart({ authorization: 'Bearer not.a.token' }), 401);
  });
});

describe('merge at login', () => {
  it('the anonymous cart joins the user’s: quantities summed, other lines added; its token then opens nothing', async () => {
    const [shared, only] = f.stock(product(), product());
    const alice = await customer(f);
    await add(alice.headers, shared?.id as string, 1);
    const anon = await anonymousCart(f);
    await add(anon.headers, shared?.id as string, 2);
    await add(anon.headers, only?.id as string, 4);
    const res = await merge(alice.headers, anon.cartToken);
    assert.equal(res.statusCode, 200, res.body);
    const merged = res.json() as CartBody;
    assert.deepEqual(
      merged.lines.map((l) => [l.productId, l.quantity]),
      [
        [shared?.id, 3],
        [only?.id, 4],
      ],
    );
    assert.deepEqual(await cartOf(alice.headers), merged);
    assertProblem(await getCart(anon.headers), 404, 'cart.not_found');
    const again = await merge(alice.headers, anon.cartToken);
    assertProblem(again, 404, 'cart.not_found');
  });

  it('needs a user; refuses a merge past 100 lines with both carts unchanged', async () => {
    const anon = await anonymousCart(f);
    assertProblem(await merge(anon.headers, anon.cartToken), 401);
    const alice = await customer(f);
    const items = f.stock(...Array.from({ length: 120 }, () => product()));
    for (const item of items.slice(0, 60)) assert.equal((await add(alice.headers, item.id)).statusCode, 200);
    for (const item of items.slice(60)) assert.equal((await add(anon.headers, item.id)).statusCode, 200);
    const before = [await cartOf(alice.headers), await cartOf(anon.headers)];
    const res = await merge(alice.headers, anon.cartToken);
    assertProblem(res, 422, 'cart.too_many_lines');
    assert.deepEqual([await cartOf(alice.headers), await cartOf(anon.headers)], before);
  });
});

describe('retrying an addition (Idempotency-Key)', () => {
  const keyed = (headers: Headers, key: string) => ({ ...headers, 'idempotency-key': key });

  it('a repeat adds nothing and says it replayed; concurrent repeats add once; another key adds again', async () => {
    const [a] = f.stock(product());
    const alice = await customer(f);
    const first = await add(keyed(alice.headers, 'add-1'), a?.id as string, 2);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const repeat = await add(keyed(alice.headers, 'add-1'), a?.id as string, 2);
    assert.equal(repeat.statusCode, 200, repeat.body);
    assert.equal(repeat.headers['idempotent-replayed'], 'true');
    assert.deepEqual(repeat.json(), first.json(), 'the cart as it is, unchanged');
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => add(keyed(alice.headers, 'add-2'), a?.id as string, 1)),
    );
    assert.deepEqual(
      burst.map((res) => res.statusCode),
      Array(8).fill(200),
    );
    assert.equal(burst.filter((res) => res.headers['idempotent-replayed'] === 'true').length, 7);
    assert.equal((await cartOf(alice.headers)).lines[0]?.quantity, 3);
    // Without a key every POST adds, as before.
    await add(alice.headers, a?.id as string, 1);
    assert.equal((await cartOf(alice.headers)).lines[0]?.quantity, 4);
  });

  it('the key with another body is refused (422 problem), and the cart is left as it was', async () => {
    const [a, b] = f.stock(product(), product());
    const { headers } = await anonymousCart(f);
    assert.equal((await add(keyed(headers, 'k'), a?.id as string, 1)).statusCode, 200);
    const before = await cartOf(headers);
    assertProblem(await add(keyed(headers, 'k'), a?.id as string, 5), 422, 'cart.idempotency_key_reused');
    assertProblem(await add(keyed(headers, 'k'), b?.id as string, 1), 422, 'cart.idempotency_key_reused');
    assert.deepEqual(await cartOf(headers), before);
    const tooLong = await add(keyed(headers, 'x'.repeat(201)), a?.id as string, 1);
    assertProblem(tooLong, 400, 'validation_failed');
    assert.deepEqual(await cartOf(headers), before);
  });

  it('a repeat is answered from the cart, even after the product went off sale', async () => {
    const [a] = f.stock(product());
    const alice = await customer(f);
    const first = await add(keyed(alice.headers, 'before-off-sale'), a?.id as string, 1);
    assert.equal(first.statusCode, 200, first.body);
    f.stock({ ...(a as NonNullable<typeof a>), active: false });
    const retried = await add(keyed(alice.headers, 'before-off-sale'), a?.id as string, 1);
    assert.equal(retried.statusCode, 200, retried.body);
    assert.equal(retried.headers['idempotent-replayed'], 'true');
    assert.deepEqual(retried.json(), first.json());
    assertProblem(
      await add(keyed(alice.headers, 'before-off-sale'), a?.id as string, 2),
      422,
      'cart.idempotency_key_reused',
    );
  });

  it('a key used on the anonymous cart still counts after it is merged at login', async () => {
    const [a] = f.stock(product());
    const anon = await anonymousCart(f);
    const alice = await customer(f);
    assert.equal((await add(keyed(anon.headers, 'before-login'), a?.id as string, 1)).statusCode, 200);
    const merged = await merge(alice.headers, anon.cartToken);
    assert.equal(merged.statusCode, 200, merged.body);
    const retried = await add(keyed(alice.headers, 'before-login'), a?.id as string, 1);
    assert.equal(retried.headers['idempotent-replayed'], 'true');
    assert.equal((await cartOf(alice.headers)).lines[0]?.quantity, 1);
  });
});

describe('limits and bad input', () => {
  it('bad bodies and params → 400 problem, nothing stored changes', async () => {
    const [a] = f.stock(product());
    const alice = await customer(f);
    await add(alice.headers, a?.id as string, 2);
    const before = await cartOf(alice.headers);
    const bad: Array<[string, string, unknown]> = [
      ['POST', '/carts/me/lines', { productId: a?.id, quantity: 0 }],
      ['POST', '/carts/me/lines', { productId: a?.id, quantity: -1 }],
      ['POST', '/carts/me/lines', { productId: a?.id, quantity: 1.5 }],
      ['POST', '/carts/me/lines', { productId: a?.id, quantity: 1001 }],
      ['POST', '/carts/me/lines', { productId: a?.id, quantity: 10_000 }],
      ['POST', '/carts/me/lines', { productId: a?.id, quantity: 'lots' }],
      ['POST', '/carts/me/lines', { productId: a?.id }],
      ['POST', '/carts/me/lines', { productId: 'not-a-uuid', quantity: 1 }],
      [
        'POST',
        '/carts/me/lines',
        { productId: a?.id, quantity: 1, unitPrice: { amountMinor: 1, currency: 'USD' } },
      ],
      ['POST', '/carts/me/lines', [{ productId: a?.id, quantity: 1 }]],
      ['PUT', `/carts/me/lines/${a?.id}`, { quantity: 0 }],
      ['PUT', `/carts/me/lines/${a?.id}`, { quantity: 1001 }],
      ['PUT', '/carts/me/lines/nope', { quantity: 1 }],
      ['POST', '/carts/me/merge', { cartToken: 'x' }],
    ];
    for (const [method, url, payload] of bad) {
      const res = await f.app.inject({
        method: method as 'POST',
        url,
        headers: alice.headers,
        payload: payload as object,
      });
      assertProblem(res, 400);
    }
    const notJson = await f.app.inject({
      method: 'POST',
      url: '/carts/me/lines',
      headers: { ...alice.headers, 'content-type': 'application/json' },
      payload: '{"productId":',
    });
    assertProblem(notJson, 400);
    assert.deepEqual(await cartOf(alice.headers), before);
  });

  it('unknown or inactive products → 422; more than 1000 units or a missing line → 4xx; nothing changes', async () => {
    const [a, inactive] = f.stock(product(), product({ active: false }));
    const alice = await customer(f);
    await add(alice.headers, a?.id as string, 999);
    const before = await cartOf(alice.headers);
    assertProblem(await add(alice.headers, randomUUID()), 422, 'cart.product_unavailable');
    assertProblem(await add(alice.headers, inactive?.id as string), 422, 'cart.product_unavailable');
    assertProblem(await add(alice.headers, a?.id as string, 2), 422, 'cart.quantity_limit');
    assertProblem(
      await f.app.inject({
        method: 'PUT',
        url: `/carts/me/lines/${randomUUID()}`,
        headers: alice.headers,
        payload: { quantity: 1 },
      }),
      404,
      'cart.line_not_found',
    );
    assert.deepEqual(await cartOf(alice.headers), before);
  });

  it('a cart holds 100 lines; the 101st is refused (so a cart of 10,000 lines cannot be made)', async () => {
    const alice = await customer(f);
    const items = f.stock(...Array.from({ length: 101 }, () => product()));
    for (const item of items.slice(0, 100)) assert.equal((await add(alice.headers, item.id)).statusCode, 200);
    assertProblem(await add(alice.headers, items[100]?.id as string), 422, 'cart.too_many_lines');
    const cart = await cartOf(alice.headers);
    assert.equal(cart.lines.length, 100);
    const { rows } = await f.pool.query('SELECT count(*)::int AS n FROM cart_lines WHERE cart_id = $1', [
      cart.id,
    ]);
    assert.equal(rows[0].n, 100);
  });

  it('a second currency is refused', async () => {
    const [usd, eur] = f.stock(product(), product({ price: { amountMinor: 100, currency: 'EUR' } }));
    const alice = await customer(f);
    await add(alice.headers, usd?.id as string);
    assertProblem(await add(alice.headers, eur?.id as string), 422, 'cart.currency_mismatch');
  });

  it('20 concurrent adds of one product all count', async () => {
    const [a] = f.stock(product());
    const alice = await customer(f);
    await cartOf(alice.headers);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => add(alice.headers, a?.id as string, 1)),
    );
    assert.deepEqual(
      results.map((r) => r.statusCode),
      Array(20).fill(200),
    );
    assert.equal((await cartOf(alice.headers)).lines[0]?.quantity, 20);
  });
});

describe('idle expiry', () => {
  it('a cart unchanged for 30 days is gone: the token opens nothing, the user gets a new empty cart, the sweeper deletes it', async () => {
    const [a] = f.stock(product());
    const alice = await customer(f);
    await add(alice.headers, a?.id as string, 1);
    const anon = await anonymousCart(f);
    await add(anon.headers, a?.id as string, 1);
    const old = await cartOf(alice.headers);
    f.clock.advance(29 * DAY_MS);
    assert.equal((await cartOf(alice.headers)).id, old.id, 'still there after 29 days');
    f.clock.advance(DAY_MS);
    const swept = await f.sweeper().sweep();
    assert.ok(swept >= 2, `swept ${swept}`);
    const { rows } = await f.pool.query('SELECT count(*)::int AS n FROM carts WHERE id = $1', [old.id]);
    assert.equal(rows[0].n, 0);
    assertProblem(await getCart(anon.headers), 404, 'cart.not_found');
    const fresh = await cartOf(alice.headers);
    assert.notEqual(fresh.id, old.id);
    assert.deepEqual(fresh.lines, []);
  });

  it('an idle cart is refused before the sweeper runs', async () => {
    const anon = await anonymousCart(f);
    f.clock.advance(31 * DAY_MS);
    assertProblem(await getCart(anon.headers), 404, 'cart.not_found');
  });
});
