// Shipments against the real Postgres: scheduled once per order whatever is redelivered, with a
// random tracking number and the rules' carrier; cancelled before dispatch and not after; a
// confirmation handled after the cancellation ships nothing; the simulator steps each shipment to
// delivered, one event per step, and two simulators side by side never double-advance.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withTransaction } from '@shopnow/chassis';
import { ShipmentCancelledV1, ShipmentScheduledV1, shippingEvents } from '@shopnow/contracts';
import type { TestDatabase } from '@shopnow/testkit';
import type { ShippingContext } from '../src/context.ts';
import { cancelShipmentOfOrder } from '../src/shipments/cancel.ts';
import { moveOnce } from '../src/shipments/move.ts';
import { scheduleShipment } from '../src/shipments/schedule.ts';
import { advanceDueShipments } from '../src/shipments/simulator.ts';
import { historyOf } from '../src/store/history.ts';
import { findShipment, findShipmentOfOrder } from '../src/store/shipments.ts';
import {
  ADDRESS,
  orderConfirmed,
  published,
  publishedTypes,
  shippingDatabase,
  testContext,
} from './helpers.ts';

let db: TestDatabase;
let ctx: ShippingContext;
before(async () => {
  db = await shippingDatabase();
  ctx = testContext(db.pool);
});
after(async () => {
  await db?.drop();
});

const schedule = (order: ReturnType<typeof orderConfirmed>, c: ShippingContext = ctx, now?: Date) =>
  withTransaction(db.pool, (tx) => scheduleShipment(tx, c, order, 'event:order.confirmed.v1', now));
const cancel = (orderId: string, reason = 'customer_request') =>
  withTransaction(db.pool, (tx) =>
    cancelShipmentOfOrder(tx, ctx, { orderId, reason }, 'event:order.cancelled.v1'),
  );
const advance = (id: string) =>
  withTransaction(db.pool, async (tx) => {
    const shipment = await findShipment(tx, id, { forUpdate: true });
    assert.ok(shipment);
    return moveOnce(tx, ctx, shipment, { kind: 'advance' }, 'admin:test');
  });

describe('scheduling on order.confirmed.v1', () => {
  it('one shipment per order, by the rules, published once; a second confirmation changes nothing', async () => {
    const order = orderConfirmed({ totalMinor: 12_000 });
    // A Thursday: express within the country is one business day.
    const first = await schedule(order, ctx, new Date('2026-11-26T10:00:00Z'));
    assert.equal(first.outcome, 'scheduled');
    const again = await schedule({ ...order, confirmedAt: new Date().toISOString() });
    assert.deepEqual(again, { outcome: 'exists' });

    const shipment = await findShipmentOfOrder(db.pool, order.orderId);
    assert.ok(shipment);
    assert.equal(shipment.status, 'scheduled');
    assert.equal(shipment.carrier, 'parcelpost');
    assert.equal(shipment.serviceLevel, 'express');
    assert.equal(shipment.estimatedDelivery, '2026-11-27');
    assert.deepEqual(shipment.address, ADDRESS);
    assert.deepEqual(shipment.lines, [{ sku: 'AUD-001', name: 'Wireless Headphones', quantity: 1 }]);
    assert.match(shipment.trackingNumber, /^SN[0-9A-Z]{14}$/);

    const events = await published(db.pool, ShipmentScheduledV1, shipment.id);
    assert.deepEqual(events, [
      {
        shipmentId: shipment.id,
        orderId: order.orderId,
        userId: order.userId,
        trackingNumber: shipment.trackingNumber,
        carrier: 'parcelpost',
        serviceLevel: 'express',
        estimatedDelivery: '2026-11-27',
        destination: { city: 'Amsterdam', country: 'NL' },
        scheduledAt: (events[0] as { scheduledAt: string }).scheduledAt,
      },
    ]);
    const history = await historyOf(db.pool, shipment.id);
    assert.deepEqual(
      history.map((h) => [h.from, h.to, h.cause, h.location?.city]),
      [[null, 'scheduled', 'event:order.confirmed.v1', 'Rotterdam']],
    );
  });

  it('abroad goes by swiftair, standard below the threshold; tracking numbers differ per order', async () => {
    const orders = [1, 2, 3].map(() =>
      orderConfirmed({ totalMinor: 900, shippingAddress: { ...ADDRESS, city: 'Lyon', country: 'FR' } }),
    );
    const numbers = new Set<string>();
    for (const order of orders) {
      const result = await schedule(order);
      assert.equal(result.outcome, 'scheduled');
      if (result.outcome !== 'scheduled') continue;
      assert.deepEqual([result.shipment.carrier, result.shipment.serviceLevel], ['swiftair', 'standard']);
      numbers.add(result.shipment.trackingNumber);
    }
    assert.equal(numbers.size, 3);
  });

  it('confirmations of one order racing each other make one shipment', async () => {
    const order = orderConfirmed();
    const results = await Promise.all([schedule(order), schedule(order), schedule(order)]);
    assert.deepEqual(results.map((r) => r.outcome).sort(), ['exists', 'exists', 'scheduled']);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM shipments WHERE order_id = $1', [
      order.orderId,
    ]);
    assert.equal(rows[0].n, 1);
  });
});

describe('cancelling on order.cancelled.v1', () => {
  it('stops a scheduled or picked-up shipment, with the order reason, published', async () => {
    for (const steps of [0, 1]) {
      const order = orderConfirmed();
      const result = await schedule(order);
      assert.equal(result.outcome, 'scheduled');
      if (result.outcome !== 'scheduled') continue;
      for (let i = 0; i < steps; i++) assert.equal((await advance(result.shipment.id)).outcome, 'moved');
      const cancelled = await cancel(order.orderId);
      assert.equal(cancelled.outcome, 'moved');
      const shipment = await findShipment(db.pool, result.shipment.id);
      assert.deepEqual(
        [shipment?.status, shipment?.reason, shipment?.nextStepAt],
        ['cancelled', 'customer_request', null],
      );
      const [event] = await published(db.pool, ShipmentCancelledV1, result.shipment.id);
      assert.equal(event?.reason, 'customer_request');
    }
  });

  it('after dispatch the shipment goes on: nothing changes, nothing is published', async () => {
    const order = orderConfirmed();
    const result = await schedule(order);
    assert.equal(result.outcome, 'scheduled');
    if (result.outcome !== 'scheduled') return;
    await advance(result.shipment.id);
    await advance(result.shipment.id);
    const before = await publishedTypes(db.pool, result.shipment.id);
    const late = await cancel(order.orderId);
    assert.equal(late.outcome, 'refused');
    assert.equal((await findShipment(db.pool, result.shipment.id))?.status, 'in_transit');
    assert.deepEqual(await publishedTypes(db.pool, result.shipment.id), before);
  });

  it('a cancellation handled before the confirmation: the confirmation ships nothing', async () => {
    const order = orderConfirmed();
    assert.deepEqual(await cancel(order.orderId), { outcome: 'no_shipment' });
    assert.deepEqual(await schedule(order), { outcome: 'order_cancelled' });
    assert.equal(await findShipmentOfOrder(db.pool, order.orderId), undefined);
  });
});

describe('the carrier simulator', () => {
  it('steps due shipments to delivered, one event per step in order, with city-level places', async () => {
    const fast = testContext(db.pool, { carrierStepSeconds: 0.05 });
    const order = orderConfirmed({ shippingAddress: { ...ADDRESS, city: 'Lyon', country: 'FR' } });
    const result = await schedule(order, fast);
    assert.equal(result.outcome, 'scheduled');
    if (result.outcome !== 'scheduled') return;
    const id = result.shipment.id;
    for (let i = 0; i < 200 && (await findShipment(db.pool, id))?.status !== 'delivered'; i++) {
      await advanceDueShipments(db.pool, fast);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const shipment = await findShipment(db.pool, id);
    assert.equal(shipment?.status, 'delivered');
    assert.equal(shipment?.nextStepAt, null);
    assert.deepEqual(await publishedTypes(db.pool, id), [
      'shipping.shipment_scheduled.v1',
      'shipping.shipment_picked_up.v1',
      'shipping.shipment_dispatched.v1',
      'shipping.shipment_out_for_delivery.v1',
      'shipping.shipment_delivered.v1',
    ]);
    const history = await historyOf(db.pool, id);
    assert.deepEqual(
      history.map((h) => [h.to, h.cause, h.location]),
      [
        ['scheduled', 'event:order.confirmed.v1', { city: 'Rotterdam', country: 'NL' }],
        ['picked_up', 'carrier', { city: 'Rotterdam', country: 'NL' }],
        ['in_transit', 'carrier', { city: 'Rotterdam', country: 'NL' }],
        ['out_for_delivery', 'carrier', { city: 'Lyon', country: 'FR' }],
        ['delivered', 'carrier', { city: 'Lyon', country: 'FR' }],
      ],
    );
    // Every published step passes its contract (publish checks it; this reads what was written).
    for (const contract of shippingEvents) {
      for (const data of await published(db.pool, contract, id))
        assert.deepEqual(contract.problems(data), []);
    }
  });

  it('two simulators side by side make each step once', async () => {
    const fast = testContext(db.pool, { carrierStepSeconds: 0.001 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const result = await schedule(orderConfirmed(), fast);
      if (result.outcome === 'scheduled') ids.push(result.shipment.id);
    }
    for (let round = 0; round < 50; round++) {
      await Promise.all([advanceDueShipments(db.pool, fast), advanceDueShipments(db.pool, fast)]);
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM shipments WHERE id = ANY($1) AND status <> 'delivered'`,
        [ids],
      );
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    for (const id of ids) {
      assert.equal((await findShipment(db.pool, id))?.status, 'delivered');
      assert.equal((await historyOf(db.pool, id)).length, 5, `history of ${id}`);
      assert.equal((await publishedTypes(db.pool, id)).length, 5, `events of ${id}`);
    }
  });

  it('leaves shipments alone when it is off (no next step is planned)', async () => {
    const result = await schedule(orderConfirmed());
    assert.equal(result.outcome, 'scheduled');
    if (result.outcome !== 'scheduled') return;
    assert.equal(result.shipment.nextStepAt, null);
    await advanceDueShipments(db.pool, testContext(db.pool, { carrierStepSeconds: 0.001 }));
    assert.equal((await findShipment(db.pool, result.shipment.id))?.status, 'scheduled');
  });
});
