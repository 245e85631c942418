// The order follows its shipment: shipping's dispatched and delivered events, consumed over the
// real bus, move a confirmed order to shipped and delivered, each move in the timeline with its
// time, cause and event, and told on the status channel the stream reads. A customer's cancel
// after dispatch is a 409 problem saying why; a dispatch heard after a cancel changes nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  InventoryStockReservedV1,
  OrderCancelledV1,
  PaymentSucceededV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
} from '@shopnow/contracts';
import { STATUS_CHANNEL } from '../src/store/status-notify.ts';
import {
  adminHeaders,
  assertProblem,
  customer,
  deliver,
  type OrderFixture,
  placeOrder,
  published,
  snapshot,
  startOrder,
  statusOf,
} from './helpers.ts';
import type { FixtureProduct } from './upstream-fixtures.ts';

let f: OrderFixture;
let product: FixtureProduct;
before(async () => {
  f = await startOrder();
  product = f.shop.addProduct({ price: { amountMinor: 2500, currency: 'EUR' } });
});
after(async () => {
  await f?.close();
});

/** A confirmed order (reserved and paid over the bus). */
async function confirmedOrder() {
  const c = await customer(f);
  f.shop.carts.set(c.userId, { id: randomUUID(), lines: [{ productId: product.id, quantity: 2 }] });
  const res = await placeOrder(f, c);
  assert.equal(res.statusCode, 202, res.body);
  const orderId: string = res.json().orderId;
  await deliver(f, InventoryStockReservedV1, 'inventory', {
    orderId,
    reservationId: randomUUID(),
    lines: [{ sku: product.sku, quantity: 2 }],
    expiresAt: new Date(Date.now() + 900_000).toISOString(),
  });
  await deliver(f, PaymentSucceededV1, 'payment', {
    orderId,
    paymentId: randomUUID(),
    chargeId: 'ch_test',
    amount: { amountMinor: 5950, currency: 'EUR' },
    succeededAt: new Date().toISOString(),
  });
  assert.equal(await statusOf(f.pool, orderId), 'confirmed');
  return { c, orderId, userId: c.userId };
}

const step = (order: { orderId: string; userId: string }, at: 'dispatchedAt' | 'deliveredAt') => ({
  shipmentId: randomUUID(),
  orderId: order.orderId,
  userId: order.userId,
  trackingNumber: 'SN7K2Q9XW4M8PD3A',
  location: { city: 'Rotterdam', country: 'NL' },
  [at]: new Date().toISOString(),
});
const dispatched = (order: { orderId: string; userId: string }) =>
  deliver(f, ShipmentDispatchedV1, 'shipping', step(order, 'dispatchedAt'));
const delivered = (order: { orderId: string; userId: string }) =>
  deliver(f, ShipmentDeliveredV1, 'shipping', step(order, 'deliveredAt'));

async function timeline(orderId: string) {
  const res = await f.app.inject({
    method: 'GET',
    url: `/admin/orders/${orderId}`,
    headers: await adminHeaders(f),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().timeline as Array<{
    from: string;
    to: string;
    cause: string;
    eventId: string;
    at: string;
  }>;
}

describe('the order follows its shipment', () => {
  it('confirmed → shipped → delivered, each in the timeline and told on the status channel', async () => {
    const order = await confirmedOrder();
    const listener = await f.pool.connect();
    const told: Array<{ orderId: string; status: string }> = [];
    listener.on('notification', (n) => told.push(JSON.parse(String(n.payload))));
    await listener.query(`LISTEN ${STATUS_CHANNEL}`);
    try {
      const dispatchEvent = await dispatched(order);
      assert.equal(await statusOf(f.pool, order.orderId), 'shipped');
      const deliveryEvent = await delivered(order);
      assert.equal(await statusOf(f.pool, order.orderId), 'delivered');

      const moves = (await timeline(order.orderId)).slice(-2);
      assert.deepEqual(
        moves.map((t) => [t.from, t.to, t.cause, t.eventId]),
        [
          ['confirmed', 'shipped', 'event:shipping.shipment_dispatched.v1', dispatchEvent],
          ['shipped', 'delivered', 'event:shipping.shipment_delivered.v1', deliveryEvent],
        ],
      );
      assert.ok(moves.every((t) => !Number.isNaN(Date.parse(t.at))));
      const ofOrder = () => told.filter((n) => n.orderId === order.orderId).map((n) => n.status);
      for (let i = 0; i < 100 && ofOrder().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(ofOrder(), ['shipped', 'delivered']);
      // Shipping's news publishes nothing: no second confirmation, no cancellation.
      assert.deepEqual(await published(f.pool, OrderCancelledV1, order.orderId), []);
      const read = await f.app.inject({
        method: 'GET',
        url: `/orders/${order.orderId}`,
        headers: order.c.headers,
      });
      assert.equal(read.json().status, 'delivered');
    } finally {
      await listener.query(`UNLISTEN ${STATUS_CHANNEL}`);
      listener.release();
    }
  });

  it('a cancel once shipped or delivered is 409 saying why, and changes nothing', async () => {
    const order = await confirmedOrder();
    await dispatched(order);
    const cancel = () =>
      f.app.inject({ method: 'POST', url: `/orders/${order.orderId}/cancel`, headers: order.c.headers });
    const before = await snapshot(f.pool);
    const shipped = assertProblem(await cancel(), 409, 'order.not_cancellable');
    assert.match(
      String(shipped.detail),
      /has shipped: its parcel is on its way and can no longer be stopped/,
    );
    assert.equal(await snapshot(f.pool), before);
    await delivered(order);
    const done = assertProblem(await cancel(), 409, 'order.not_cancellable');
    assert.match(String(done.detail), /has been delivered/);
    assert.deepEqual(await published(f.pool, OrderCancelledV1, order.orderId), []);
  });

  it('a delivery heard before the dispatch delivers; the late dispatch changes nothing', async () => {
    const order = await confirmedOrder();
    await delivered(order);
    assert.equal(await statusOf(f.pool, order.orderId), 'delivered');
    const before = (await timeline(order.orderId)).length;
    await dispatched(order);
    assert.equal(await statusOf(f.pool, order.orderId), 'delivered');
    assert.equal((await timeline(order.orderId)).length, before);
  });

  it('a dispatch heard after the customer cancelled (the carrier won the race) changes nothing', async () => {
    const order = await confirmedOrder();
    const res = await f.app.inject({
      method: 'POST',
      url: `/orders/${order.orderId}/cancel`,
      headers: order.c.headers,
    });
    assert.equal(res.statusCode, 200, res.body);
    await dispatched(order);
    assert.equal(await statusOf(f.pool, order.orderId), 'cancelled');
  });
});
