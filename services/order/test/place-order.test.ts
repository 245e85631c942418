// POST /orders against the real app, the upstream fixtures and the real payment-provider process:
// prices from the catalog, the cart's lines, the customer's own address, a card token of theirs;
// every refusal a 4xx problem with nothing stored or published; Idempotency-Key replay, mismatch
// and concurrency.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OrderPlacedV1 } from '@shopnow/contracts';
import {
  assertProblem,
  type Customer,
  customer,
  type OrderFixture,
  placeOrder,
  published,
  snapshot,
  startOrder,
} from './helpers.ts';
import type { FixtureProduct } from './upstream-fixtures.ts';

let f: OrderFixture;
let widget: FixtureProduct;
let gadget: FixtureProduct;
before(async () => {
  f = await startOrder();
  widget = f.shop.addProduct({ price: { amountMinor: 1999, currency: 'EUR' } });
  gadget = f.shop.addProduct({ price: { amountMinor: 4500, currency: 'EUR' } });
});
after(async () => {
  await f?.close();
});

describe('placing an order', () => {
  it('202 with where to follow it; prices from the catalog, the client cannot set them', async () => {
    const c = await customer(f, { country: 'DE' });
    const res = await placeOrder(f, c, {
      lines: [
        { productId: widget.id, quantity: 2 },
        { productId: gadget.id, quantity: 1 },
      ],
    });
    assert.equal(res.statusCode, 202, res.body);
    const body = res.json();
    assert.equal(body.status, 'pending');
    assert.deepEqual(body.links, {
      self: `/api/orders/${body.orderId}`,
      events: `/api/orders/${body.orderId}/events`,
    });
    assert.equal(res.headers.location, body.links.self);

    // 2 × 19.99 + 45.00 = 84.98 → free shipping; DE 19% → 16.15 (16.1462 half up)
    const [placed] = await published(f.pool, OrderPlacedV1, body.orderId);
    assert.ok(placed);
    assert.deepEqual(placed.subtotal, { amountMinor: 8498, currency: 'EUR' });
    assert.deepEqual(placed.shipping, { amountMinor: 0, currency: 'EUR' });
    assert.deepEqual(placed.tax, { amountMinor: 1615, currency: 'EUR' });
    assert.deepEqual(placed.total, { amountMinor: 10113, currency: 'EUR' });
    assert.deepEqual(
      (placed.lines as Array<Record<string, unknown>>).map((l) => [l.sku, l.quantity, l.unitPrice]),
      [
        [widget.sku, 2, widget.price],
        [gadget.sku, 1, gadget.price],
      ],
    );

    const read = await f.app.inject({ method: 'GET', url: `/orders/${body.orderId}`, headers: c.headers });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().status, 'pending');
    assert.equal(read.json().shippingAddress.country, 'DE');
    assert.ok(read.json().waitingUntil);
  });

  it('a price in the body is refused, not used', async () => {
    const c = await customer(f);
    const before = await snapshot(f.pool);
    const res = await placeOrder(f, c, {
      lines: [{ productId: widget.id, quantity: 1, unitPrice: { amountMinor: 1, currency: 'EUR' } }],
    });
    assertProblem(res, 400, 'validation_failed');
    assert.equal(await snapshot(f.pool), before);
  });

  it("without lines: the cart's lines, and the cart id rides along for clearing on confirmation", async () => {
    const c = await customer(f, { country: 'US' });
    const cartId = randomUUID();
    f.shop.carts.set(c.userId, { id: cartId, lines: [{ productId: widget.id, quantity: 1 }] });
    const res = await placeOrder(f, c);
    assert.equal(res.statusCode, 202, res.body);
    const { rows } = await f.pool.query(
      'SELECT cart_id, total_minor::int AS total FROM orders WHERE id = $1',
      [res.json().orderId],
    );
    // 19.99 + 5.99 shipping, US untaxed
    assert.deepEqual(rows[0], { cart_id: cartId, total: 2598 });
  });

  it('an empty cart → 422 order.cart_empty', async () => {
    const c = await customer(f);
    const before = await snapshot(f.pool);
    assertProblem(await placeOrder(f, c), 422, 'order.cart_empty');
    assert.equal(await snapshot(f.pool), before);
  });
});

describe('bad input → 4xx problem, nothing stored or published', () => {
  let c: Customer;
  before(async () => {
    c = await customer(f);
  });

  const refused = async (body: Record<string, unknown>, status: number, code: string, who: Customer = c) => {
    const before = await snapshot(f.pool);
    const problem = assertProblem(await placeOrder(f, who, body), status, code);
    assert.equal(await snapshot(f.pool), before, 'nothing stored');
    return problem;
  };

  it('zero or negative quantity', async () => {
    await refused({ lines: [{ productId: widget.id, quantity: 0 }] }, 400, 'validation_failed');
    await refused({ lines: [{ productId: widget.id, quantity: -3 }] }, 400, 'validation_failed');
    await refused({ lines: [{ productId: widget.id, quantity: 1001 }] }, 400, 'validation_failed');
  });

  it('the same product twice adding up to more than 1000', async () => {
    const lines = [
      { productId: widget.id, quantity: 600 },
      { productId: widget.id, quantity: 600 },
    ];
    await refused({ lines }, 422, 'order.invalid_lines');
  });

  it('an unknown or an inactive product', async () => {
    const unknown = randomUUID();
    const p = await refused(
      { lines: [{ productId: unknown, quantity: 1 }] },
      422,
      'order.product_unavailable',
    );
    assert.deepEqual(p.products, [unknown]);
    const inactive = f.shop.addProduct({ active: false });
    await refused(
      {
        lines: [
          { productId: widget.id, quantity: 1 },
          { productId: inactive.id, quantity: 1 },
        ],
      },
      422,
      'order.product_unavailable',
    );
  });

  it('products priced in two currencies', async () => {
    const dollars = f.shop.addProduct({ price: { amountMinor: 500, currency: 'USD' } });
    const lines = [
      { productId: widget.id, quantity: 1 },
      { productId: dollars.id, quantity: 1 },
    ];
    await refused({ lines }, 422, 'order.mixed_currencies');
  });

  it("another user's address, or no such address", async () => {
    const other = await customer(f);
    const lines = [{ productId: widget.id, quantity: 1 }];
    await refused({ lines, addressId: other.addressId }, 422, 'order.address_not_found');
    await refused({ lines, addressId: randomUUID() }, 422, 'order.address_not_found');
  });

  it('an expired, a foreign, an unknown or an anonymous card token', async () => {
    const lines = [{ productId: widget.id, quantity: 1 }];
    const expired = await f.provider.tokenize(c.userId);
    await f.provider.expire(expired);
    let p = await refused({ lines, cardToken: expired }, 422, 'order.card_token_invalid');
    assert.match(String(p.detail), /expired/);
    const other = await customer(f);
    p = await refused({ lines, cardToken: other.cardToken }, 422, 'order.card_token_invalid');
    assert.match(String(p.detail), /not made for this customer/);
    await refused({ lines, cardToken: 'tok_000000000000000000000000' }, 422, 'order.card_token_invalid');
    await refused({ lines, cardToken: await f.provider.tokenize(null) }, 422, 'order.card_token_invalid');
    await refused({ lines, cardToken: 'card_4242' }, 400, 'validation_failed');
  });

  it('a cart of 10,000 lines given in the body → 400; in the cart → 422', async () => {
    const lines = Array.from({ length: 10_000 }, () => ({ productId: randomUUID(), quantity: 1 }));
    await refused({ lines }, 400, 'validation_failed');
    const big = await customer(f);
    f.shop.carts.set(big.userId, { id: randomUUID(), lines });
    const before = f.shop.requests.length;
    await refused({}, 422, 'order.invalid_lines', big);
    // Refused before any product was looked up.
    assert.equal(f.shop.requests.slice(before).filter((r) => r.includes('/products/')).length, 0);
  });

  it('no Idempotency-Key; no token; a service token', async () => {
    const lines = [{ productId: widget.id, quantity: 1 }];
    const before = await snapshot(f.pool);
    assertProblem(await placeOrder(f, c, { lines }, null), 400, 'order.idempotency_key_required');
    const anonymous = await f.app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'idempotency-key': 'k' },
      payload: { lines, cardToken: c.cardToken, addressId: c.addressId },
    });
    assertProblem(anonymous, 401);
    const service = await f.app.inject({
      method: 'POST',
      url: '/orders',
      headers: { authorization: `Bearer ${await f.issuer.service('cart')}`, 'idempotency-key': 'k' },
      payload: { lines, cardToken: c.cardToken, addressId: c.addressId },
    });
    assertProblem(service, 403);
    assert.equal(await snapshot(f.pool), before);
  });
});

describe('Idempotency-Key', () => {
  it('replayed → the same order, once; another body with the key → 422', async () => {
    const c = await customer(f);
    const key = randomUUID();
    const body = { lines: [{ productId: widget.id, quantity: 1 }] };
    const first = await placeOrder(f, c, body, key);
    assert.equal(first.statusCode, 202, first.body);
    const again = await placeOrder(f, c, body, key);
    assert.equal(again.statusCode, 202);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.json(), first.json());
    const { rows } = await f.pool.query('SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [
      c.userId,
    ]);
    assert.equal(rows[0].n, 1);
    assert.equal((await published(f.pool, OrderPlacedV1, first.json().orderId)).length, 1);

    const before = await snapshot(f.pool);
    assertProblem(
      await placeOrder(f, c, { lines: [{ productId: widget.id, quantity: 2 }] }, key),
      422,
      'idempotency_key_mismatch',
    );
    assert.equal(await snapshot(f.pool), before);
  });

  it("one customer's key is not another's", async () => {
    const [a, b] = [await customer(f), await customer(f)];
    const key = randomUUID();
    const body = { lines: [{ productId: widget.id, quantity: 1 }] };
    const ra = await placeOrder(f, a, body, key);
    const rb = await placeOrder(f, b, body, key);
    assert.equal(ra.statusCode, 202);
    assert.equal(rb.statusCode, 202);
    assert.notEqual(ra.json().orderId, rb.json().orderId);
  });

  it('concurrent requests with one key → one order; the others 409 (or the replay once it is done)', async () => {
    const c = await customer(f);
    const key = randomUUID();
    const body = { lines: [{ productId: gadget.id, quantity: 1 }] };
    const answers = await Promise.all(Array.from({ length: 5 }, () => placeOrder(f, c, body, key)));
    const statuses = answers.map((r) => r.statusCode);
    const created = answers.filter((r) => r.statusCode === 202);
    assert.ok(created.length >= 1, String(statuses));
    assert.ok(statuses.includes(409), `at least one saw the key in progress: ${statuses}`);
    for (const r of answers.filter((a) => a.statusCode === 409))
      assertProblem(r, 409, 'idempotency_in_progress');
    assert.equal(new Set(created.map((r) => r.json().orderId)).size, 1);
    const { rows } = await f.pool.query('SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [
      c.userId,
    ]);
    assert.equal(rows[0].n, 1);
  });
});
