// The checkout saga driven as in production: orders placed over HTTP, inventory's and payment's
// answers published on the real bus (postgres transport) and consumed by the app, timeouts by its
// sweeper. Then the customer's cancel rules, their list, and the admin list and timeline.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  InventoryReservationExpiredV1,
  InventoryStockRejectedV1,
  InventoryStockReservedV1,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPaymentRequestedV1,
  PaymentFailedV1,
  PaymentSucceededV1,
} from '@shopnow/contracts';
import {
  adminHeaders,
  assertProblem,
  type Customer,
  customer,
  deliver,
  eventually,
  type OrderFixture,
  placeOrder,
  published,
  startOrder,
  statusOf,
} from './helpers.ts';
import type { FixtureProduct } from './upstream-fixtures.ts';

let f: OrderFixture;
let product: FixtureProduct;
before(async () => {
  f = await startOrder({ TIMEOUT_SWEEP_INTERVAL_MS: 200 });
  product = f.shop.addProduct({ price: { amountMinor: 2500, currency: 'EUR' } });
});
after(async () => {
  await f?.close();
});

async function newOrder(c?: Customer): Promise<{ c: Customer; orderId: string }> {
  const who = c ?? (await customer(f));
  const cartId = randomUUID();
  f.shop.carts.set(who.userId, { id: cartId, lines: [{ productId: product.id, quantity: 2 }] });
  const res = await placeOrder(f, who);
  assert.equal(res.statusCode, 202, res.body);
  return { c: who, orderId: res.json().orderId };
}

const reserved = (orderId: string) =>
  deliver(f, InventoryStockReservedV1, 'inventory', {
    orderId,
    reservationId: randomUUID(),
    lines: [{ sku: product.sku, quantity: 2 }],
    expiresAt: new Date(Date.now() + 900_000).toISOString(),
  });
const succeeded = (orderId: string) =>
  deliver(f, PaymentSucceededV1, 'payment', {
    orderId,
    paymentId: randomUUID(),
    chargeId: 'ch_test',
    amount: { amountMinor: 5950, currency: 'EUR' },
    succeededAt: new Date().toISOString(),
  });

async function timeline(orderId: string) {
  const res = await f.app.inject({
    method: 'GET',
    url: `/admin/orders/${orderId}`,
    headers: await adminHeaders(f),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as {
    status: string;
    timeline: Array<{
      from: string | null;
      to: string;
      cause: string;
      reason: string | null;
      eventId: string | null;
    }>;
  };
}

describe('the saga', () => {
  it('happy path: reserved → payment requested → paid → confirmed, order.confirmed.v1 in the outbox', async () => {
    const { c, orderId } = await newOrder();
    const cartId = f.shop.carts.get(c.userId)?.id;
    const stockEvent = await reserved(orderId);
    assert.equal(await statusOf(f.pool, orderId), 'awaiting_payment');
    const [request] = await published(f.pool, OrderPaymentRequestedV1, orderId);
    // 2 × 25.00 = 50.00: free shipping; DE 19% = 9.50
    assert.deepEqual(request?.amount, { amountMinor: 5950, currency: 'EUR' });
    assert.equal(request?.cardToken, c.cardToken);
    assert.equal(request?.userId, c.userId);

    const payEvent = await succeeded(orderId);
    assert.equal(await statusOf(f.pool, orderId), 'confirmed');
    const [confirmed] = await published(f.pool, OrderConfirmedV1, orderId);
    assert.equal(confirmed?.cartId, cartId);
    assert.deepEqual(confirmed?.total, { amountMinor: 5950, currency: 'EUR' });
    assert.equal((confirmed?.shippingAddress as { country: string } | undefined)?.country, 'DE');
    assert.deepEqual(await published(f.pool, OrderCancelledV1, orderId), []);

    const t = await timeline(orderId);
    assert.deepEqual(
      t.timeline.map((e) => [e.from, e.to, e.cause, e.eventId]),
      [
        [null, 'pending', 'customer', null],
        ['pending', 'awaiting_payment', 'event:inventory.stock_reserved.v1', stockEvent],
        ['awaiting_payment', 'confirmed', 'event:payment.succeeded.v1', payEvent],
      ],
    );
    const read = await f.app.inject({ method: 'GET', url: `/orders/${orderId}`, headers: c.headers });
    assert.equal(read.json().status, 'confirmed');
    assert.equal(read.json().waitingUntil, null);
  });

  it('inventory answering again (another event id) changes nothing: one payment request', async () => {
    const { orderId } = await newOrder();
    await reserved(orderId);
    await reserved(orderId);
    assert.equal(await statusOf(f.pool, orderId), 'awaiting_payment');
    assert.equal((await published(f.pool, OrderPaymentRequestedV1, orderId)).length, 1);
    assert.equal((await timeline(orderId)).timeline.length, 2);
  });

  it('stock rejected → cancelled (out_of_stock), order.cancelled.v1, nothing charged', async () => {
    const { orderId } = await newOrder();
    await deliver(f, InventoryStockRejectedV1, 'inventory', {
      orderId,
      reason: 'out_of_stock',
      lines: [{ sku: product.sku, requested: 2, available: 1 }],
    });
    assert.equal(await statusOf(f.pool, orderId), 'cancelled');
    const [cancelled] = await published(f.pool, OrderCancelledV1, orderId);
    assert.equal(cancelled?.reason, 'out_of_stock');
    assert.equal(cancelled?.refunded, false);
    assert.deepEqual(await published(f.pool, OrderPaymentRequestedV1, orderId), []);
  });

  it('payment failed → cancelled with its reason; the reservation is released by order.cancelled.v1', async () => {
    const { orderId } = await newOrder();
    await reserved(orderId);
    await deliver(f, PaymentFailedV1, 'payment', {
      orderId,
      paymentId: randomUUID(),
      reason: 'card_declined',
      retryable: false,
      failedAt: new Date().toISOString(),
    });
    assert.equal(await statusOf(f.pool, orderId), 'cancelled');
    const [cancelled] = await published(f.pool, OrderCancelledV1, orderId);
    assert.deepEqual([cancelled?.reason, cancelled?.refunded], ['card_declined', false]);
    assert.deepEqual(await published(f.pool, OrderConfirmedV1, orderId), []);
  });

  it('reservation expired while waiting for payment → cancelled (reservation_expired)', async () => {
    const { orderId } = await newOrder();
    await reserved(orderId);
    await deliver(f, InventoryReservationExpiredV1, 'inventory', {
      orderId,
      expiredAt: new Date().toISOString(),
    });
    assert.equal(await statusOf(f.pool, orderId), 'cancelled');
    assert.equal((await published(f.pool, OrderCancelledV1, orderId))[0]?.reason, 'reservation_expired');
  });

  it('a capture that lands after the cancellation changes nothing and publishes nothing (payment refunds it)', async () => {
    const { c, orderId } = await newOrder();
    await reserved(orderId);
    const cancel = await f.app.inject({
      method: 'POST',
      url: `/orders/${orderId}/cancel`,
      headers: c.headers,
    });
    assert.equal(cancel.statusCode, 200, cancel.body);
    const outbox = await f.pool.query('SELECT count(*)::int AS n FROM outbox');
    await succeeded(orderId);
    assert.equal(await statusOf(f.pool, orderId), 'cancelled');
    assert.equal((await f.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n, outbox.rows[0].n);
    assert.equal((await timeline(orderId)).timeline.at(-1)?.to, 'cancelled');
  });

  it('timeouts: no stock answer in time → stock_timeout; no payment in time → payment_timeout', async () => {
    const waiting = await newOrder();
    const paying = await newOrder();
    await reserved(paying.orderId);
    const { rows } = await f.pool.query(
      `SELECT extract(epoch FROM deadline_at - now())::int AS s FROM orders WHERE id = $1`,
      [paying.orderId],
    );
    assert.ok(rows[0].s > 590 && rows[0].s <= 600, `payment deadline in PAYMENT_TIMEOUT (${rows[0].s}s)`);
    // Time passes: both deadlines are now behind us; the running sweeper cancels them.
    await f.pool.query(`UPDATE orders SET deadline_at = now() - interval '1 second' WHERE id = ANY($1)`, [
      [waiting.orderId, paying.orderId],
    ]);
    await eventually(
      'both timed out',
      async () =>
        (await statusOf(f.pool, waiting.orderId)) === 'cancelled' &&
        (await statusOf(f.pool, paying.orderId)) === 'cancelled',
    );
    assert.equal((await published(f.pool, OrderCancelledV1, waiting.orderId))[0]?.reason, 'stock_timeout');
    assert.equal((await published(f.pool, OrderCancelledV1, paying.orderId))[0]?.reason, 'payment_timeout');
    assert.equal((await timeline(paying.orderId)).timeline.at(-1)?.cause, 'timeout:payment');
    // A late answer after the timeout is ignored.
    await reserved(waiting.orderId);
    assert.equal(await statusOf(f.pool, waiting.orderId), 'cancelled');
  });
});

describe('customer cancel', () => {
  it('pending → cancelled (customer_request, nothing to refund)', async () => {
    const { c, orderId } = await newOrder();
    const res = await f.app.inject({ method: 'POST', url: `/orders/${orderId}/cancel`, headers: c.headers });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      [res.json().status, res.json().cancelReason, res.json().refundDue],
      ['cancelled', 'customer_request', false],
    );
    const [event] = await published(f.pool, OrderCancelledV1, orderId);
    assert.deepEqual([event?.reason, event?.refunded], ['customer_request', false]);
  });

  it('confirmed → cancelled with a refund; then again → 409, nothing new', async () => {
    const { c, orderId } = await newOrder();
    await reserved(orderId);
    await succeeded(orderId);
    const res = await f.app.inject({ method: 'POST', url: `/orders/${orderId}/cancel`, headers: c.headers });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().refundDue, true);
    assert.equal((await published(f.pool, OrderCancelledV1, orderId))[0]?.refunded, true);
    const again = await f.app.inject({
      method: 'POST',
      url: `/orders/${orderId}/cancel`,
      headers: c.headers,
    });
    assertProblem(again, 409, 'order.not_cancellable');
    assert.equal((await published(f.pool, OrderCancelledV1, orderId)).length, 1);
  });

  it("another customer's order: 404 to read and to cancel; an admin may cancel it", async () => {
    const { orderId } = await newOrder();
    const stranger = await customer(f);
    assertProblem(
      await f.app.inject({ method: 'GET', url: `/orders/${orderId}`, headers: stranger.headers }),
      404,
    );
    assertProblem(
      await f.app.inject({ method: 'POST', url: `/orders/${orderId}/cancel`, headers: stranger.headers }),
      404,
      'order.not_found',
    );
    assert.equal(await statusOf(f.pool, orderId), 'pending');
    const admin = await f.app.inject({
      method: 'POST',
      url: `/orders/${orderId}/cancel`,
      headers: await adminHeaders(f),
    });
    assert.equal(admin.statusCode, 200);
    assert.match((await timeline(orderId)).timeline.at(-1)?.cause ?? '', /^admin:/);
  });
});

describe('lists', () => {
  it('my orders, newest first, by cursor; only mine', async () => {
    const c = await customer(f);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await newOrder(c)).orderId);
    await newOrder(); // someone else's
    const first = await f.app.inject({ method: 'GET', url: '/orders?limit=2', headers: c.headers });
    assert.equal(first.statusCode, 200);
    const page1 = first.json();
    assert.equal(page1.items.length, 2);
    const second = await f.app.inject({
      method: 'GET',
      url: `/orders?limit=2&cursor=${page1.nextCursor}`,
      headers: c.headers,
    });
    const page2 = second.json();
    assert.equal(page2.nextCursor, null);
    assert.deepEqual(
      [...page1.items, ...page2.items].map((o: { id: string }) => o.id),
      ids.reverse(),
    );
    assertProblem(await f.app.inject({ method: 'GET', url: '/orders?cursor=zzz', headers: c.headers }), 400);
  });

  it('admin: every order, filtered by status and customer; customers get 403', async () => {
    const c = await customer(f);
    const a = await newOrder(c);
    const b = await newOrder(c);
    await reserved(b.orderId);
    const admin = await adminHeaders(f);
    const res = await f.app.inject({
      method: 'GET',
      url: `/admin/orders?userId=${c.userId}&status=awaiting_payment`,
      headers: admin,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res.json().items.map((o: { id: string }) => o.id),
      [b.orderId],
    );
    const all = await f.app.inject({
      method: 'GET',
      url: `/admin/orders?userId=${c.userId}`,
      headers: admin,
    });
    assert.deepEqual(
      all.json().items.map((o: { id: string }) => o.id),
      [b.orderId, a.orderId],
    );
    const future = await f.app.inject({
      method: 'GET',
      url: `/admin/orders?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      headers: admin,
    });
    assert.deepEqual(future.json().items, []);
    assertProblem(await f.app.inject({ method: 'GET', url: '/admin/orders', headers: c.headers }), 403);
    assertProblem(
      await f.app.inject({ method: 'GET', url: `/admin/orders/${a.orderId}`, headers: c.headers }),
      403,
    );
    assertProblem(
      await f.app.inject({ method: 'GET', url: `/admin/orders/${randomUUID()}`, headers: admin }),
      404,
    );
  });
});
