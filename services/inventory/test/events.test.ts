// The running app's consumers over the real bus (postgres transport): the catalog's
// product.created.v1 makes a stock row with NEW_SKU_STOCK units and product.updated.v1 follows the
// SKU and whether it is on sale; order.placed.v1 → stock_reserved in the outbox, and a redelivery
// of the same event takes effect once; confirmed and cancelled move the counts, and a confirmed
// order's cancellation, delivered twice, returns its units once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  InventoryStockRejectedV1,
  InventoryStockReservedV1,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  ProductCreatedV1,
  ProductUpdatedV1,
} from '@shopnow/contracts';
import type { Transport } from '@shopnow/events';
import {
  assertInvariant,
  countsOf,
  eventually,
  handled,
  type InventoryFixture,
  orderPlaced,
  published,
  publishOnBus,
  startInventory,
} from './helpers.ts';

let f: InventoryFixture;
let bus: Transport;
before(async () => {
  f = await startInventory({ NEW_SKU_STOCK: 100 });
  bus = f.newTransport();
  await bus.start();
});
after(async () => {
  await bus?.close();
  await f?.close();
});

const product = (sku: string, productId = randomUUID(), active = true) => ({
  productId,
  sku,
  slug: sku.toLowerCase(),
  name: `Product ${sku}`,
  category: 'audio',
  price: { amountMinor: 1000, currency: 'USD' },
  active,
});

/** The order.confirmed.v1 data of a placed `order`. */
const confirmedOf = (order: ReturnType<typeof orderPlaced>) => ({
  orderId: order.orderId,
  userId: order.userId,
  lines: order.lines,
  subtotal: order.subtotal,
  shipping: order.shipping,
  tax: order.tax,
  total: order.total,
  shippingAddress: {
    recipientName: 'Ada Lovelace',
    line1: '10 Downing Street',
    line2: null,
    city: 'London',
    region: null,
    postalCode: 'SW1A 2AA',
    country: 'GB',
    phone: null,
  },
  confirmedAt: new Date().toISOString(),
  cartId: null,
});

async function deliver(
  contract: Parameters<typeof publishOnBus>[1],
  source: string,
  subject: string,
  data: unknown,
  id?: string,
) {
  const eventId = await publishOnBus(bus, contract, { source, subject, data, id });
  await eventually(`${contract.type} ${eventId} handled`, () => handled(f.pool, eventId));
  return eventId;
}

describe('catalog events', () => {
  it('product.created.v1 stocks the product with NEW_SKU_STOCK units, recorded as the initial movement', async () => {
    const p = product('EVT-001');
    await deliver(ProductCreatedV1, 'product', p.productId, p);
    assert.deepEqual(await countsOf(f.pool, 'EVT-001'), { available: 100, reserved: 0, sold: 0 });
    const { rows } = await f.pool.query(
      `SELECT kind, delta_available, actor FROM stock_movements WHERE sku = 'EVT-001'`,
    );
    assert.deepEqual(rows, [{ kind: 'initial', delta_available: 100, actor: 'event:product.created.v1' }]);
    // The same product announced again (another event id) changes nothing.
    await deliver(ProductCreatedV1, 'product', p.productId, p);
    assert.deepEqual(await countsOf(f.pool, 'EVT-001'), { available: 100, reserved: 0, sold: 0 });
  });

  it('product.updated.v1 follows a new SKU and the product going off sale; one that overtakes its creation stocks it', async () => {
    const p = product('EVT-002');
    await deliver(ProductCreatedV1, 'product', p.productId, p);
    await deliver(ProductUpdatedV1, 'product', p.productId, {
      ...product('EVT-002B', p.productId, false),
      changed: ['sku', 'active'],
    });
    const { rows } = await f.pool.query('SELECT sku, active FROM stock WHERE product_id = $1', [p.productId]);
    assert.deepEqual(rows, [{ sku: 'EVT-002B', active: false }]);
    const moved = await f.pool.query(`SELECT count(*)::int AS n FROM stock_movements WHERE sku = 'EVT-002B'`);
    assert.equal(moved.rows[0].n, 1, 'the ledger follows the renamed SKU');

    const early = product('EVT-003');
    await deliver(ProductUpdatedV1, 'product', early.productId, { ...early, changed: ['name'] });
    await deliver(ProductCreatedV1, 'product', early.productId, early);
    assert.deepEqual(await countsOf(f.pool, 'EVT-003'), { available: 100, reserved: 0, sold: 0 });
    await assertInvariant(f.pool);
  });
});

describe('order events', () => {
  it('order.placed.v1 → stock_reserved; the same event delivered twice takes effect once', async () => {
    const p = product('EVT-010');
    await deliver(ProductCreatedV1, 'product', p.productId, p);
    const order = orderPlaced([['EVT-010', 3]]);
    const eventId = await deliver(OrderPlacedV1, 'order', order.orderId, order);
    await publishOnBus(bus, OrderPlacedV1, {
      source: 'order',
      subject: order.orderId,
      data: order,
      id: eventId,
    });
    await f.busIdle();
    assert.deepEqual(await countsOf(f.pool, 'EVT-010'), { available: 97, reserved: 3, sold: 0 });
    const answers = await published(f.pool, InventoryStockReservedV1, order.orderId);
    assert.equal(answers.length, 1);
    assert.deepEqual(answers[0]?.lines, [{ sku: 'EVT-010', quantity: 3 }]);

    await deliver(OrderConfirmedV1, 'order', order.orderId, confirmedOf(order));
    assert.deepEqual(await countsOf(f.pool, 'EVT-010'), { available: 97, reserved: 0, sold: 3 });
  });

  it('an order beyond the stock → stock_rejected; order.cancelled.v1 releases a reservation', async () => {
    const p = product('EVT-011');
    await deliver(ProductCreatedV1, 'product', p.productId, p);
    const big = orderPlaced([['EVT-011', 101]]);
    await deliver(OrderPlacedV1, 'order', big.orderId, big);
    assert.deepEqual(await published(f.pool, InventoryStockRejectedV1, big.orderId), [
      {
        orderId: big.orderId,
        reason: 'out_of_stock',
        lines: [{ sku: 'EVT-011', requested: 101, available: 100 }],
      },
    ]);

    const order = orderPlaced([['EVT-011', 10]]);
    await deliver(OrderPlacedV1, 'order', order.orderId, order);
    assert.deepEqual(await countsOf(f.pool, 'EVT-011'), { available: 90, reserved: 10, sold: 0 });
    await deliver(OrderCancelledV1, 'order', order.orderId, {
      orderId: order.orderId,
      userId: order.userId,
      reason: 'payment_declined',
      refunded: false,
      cancelledAt: new Date().toISOString(),
    });
    assert.deepEqual(await countsOf(f.pool, 'EVT-011'), { available: 100, reserved: 0, sold: 0 });
    await assertInvariant(f.pool);
  });

  it('order.cancelled.v1 after order.confirmed.v1 returns the sold units once, however often it is delivered', async () => {
    const p = product('EVT-012');
    await deliver(ProductCreatedV1, 'product', p.productId, p);
    const order = orderPlaced([['EVT-012', 4]]);
    await deliver(OrderPlacedV1, 'order', order.orderId, order);
    await deliver(OrderConfirmedV1, 'order', order.orderId, confirmedOf(order));
    assert.deepEqual(await countsOf(f.pool, 'EVT-012'), { available: 96, reserved: 0, sold: 4 });

    const cancelled = {
      orderId: order.orderId,
      userId: order.userId,
      reason: 'customer_request',
      refunded: true,
      cancelledAt: new Date().toISOString(),
    };
    const eventId = await deliver(OrderCancelledV1, 'order', order.orderId, cancelled);
    // The same event again (the inbox drops it), and another cancellation event for the order.
    await publishOnBus(bus, OrderCancelledV1, {
      source: 'order',
      subject: order.orderId,
      data: cancelled,
      id: eventId,
    });
    await deliver(OrderCancelledV1, 'order', order.orderId, cancelled);
    await f.busIdle();
    assert.deepEqual(await countsOf(f.pool, 'EVT-012'), { available: 100, reserved: 0, sold: 0 });
    const { rows } = await f.pool.query(
      `SELECT kind, delta_available, delta_sold, reason FROM stock_movements WHERE sku = 'EVT-012' AND kind = 'return'`,
    );
    assert.deepEqual(rows, [
      { kind: 'return', delta_available: 4, delta_sold: -4, reason: 'customer_request' },
    ]);
    await assertInvariant(f.pool);
  });
});
