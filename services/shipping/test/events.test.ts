// The running app over the real bus (postgres transport): order.confirmed.v1, delivered twice with
// two event ids, schedules one shipment; the carrier simulator (CARRIER_STEP_SECONDS=0.2) takes it
// to delivered on its own; with the simulator off, order.cancelled.v1 stops a scheduled shipment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OrderCancelledV1, OrderConfirmedV1 } from '@shopnow/contracts';
import type { Transport } from '@shopnow/events';
import { findShipmentOfOrder } from '../src/store/shipments.ts';
import {
  eventually,
  handled,
  orderConfirmed,
  publishedTypes,
  publishOnBus,
  type ShippingFixture,
  startShipping,
} from './helpers.ts';

let f: ShippingFixture;
let bus: Transport;
before(async () => {
  f = await startShipping({ CARRIER_STEP_SECONDS: 0.2, CARRIER_SWEEP_INTERVAL_MS: 50 });
  bus = f.newTransport();
  await bus.start();
});
after(async () => {
  await bus?.close();
  await f?.close();
});

async function deliver(
  contract: Parameters<typeof publishOnBus>[1],
  subject: string,
  data: unknown,
  to: { fixture: ShippingFixture; bus: Transport } = { fixture: f, bus },
) {
  const eventId = await publishOnBus(to.bus, contract, { source: 'order', subject, data });
  await eventually(`${contract.type} ${eventId} handled`, () => handled(to.fixture.pool, eventId));
}

describe('following the order service', () => {
  it('a confirmed order, delivered twice, ships once and is delivered by the simulator', async () => {
    const order = orderConfirmed();
    await deliver(OrderConfirmedV1, order.orderId, order);
    await deliver(OrderConfirmedV1, order.orderId, order);
    const shipment = await findShipmentOfOrder(f.pool, order.orderId);
    assert.ok(shipment);
    await eventually(
      'the shipment is delivered',
      async () => (await findShipmentOfOrder(f.pool, order.orderId))?.status === 'delivered',
    );
    assert.deepEqual(await publishedTypes(f.pool, shipment.id), [
      'shipping.shipment_scheduled.v1',
      'shipping.shipment_picked_up.v1',
      'shipping.shipment_dispatched.v1',
      'shipping.shipment_out_for_delivery.v1',
      'shipping.shipment_delivered.v1',
    ]);
    const { rows } = await f.pool.query('SELECT count(*)::int AS n FROM shipments WHERE order_id = $1', [
      order.orderId,
    ]);
    assert.equal(rows[0].n, 1);
  });
});

describe('with the simulator off', () => {
  let g: ShippingFixture;
  let gBus: Transport;
  before(async () => {
    g = await startShipping({ CARRIER_STEP_SECONDS: 0 });
    gBus = g.newTransport();
    await gBus.start();
  });
  after(async () => {
    await gBus?.close();
    await g?.close();
  });

  it('a cancelled order stops its shipment before dispatch', async () => {
    const to = { fixture: g, bus: gBus };
    const order = orderConfirmed();
    await deliver(OrderConfirmedV1, order.orderId, order, to);
    await deliver(
      OrderCancelledV1,
      order.orderId,
      {
        orderId: order.orderId,
        userId: order.userId,
        reason: 'customer_request',
        refunded: true,
        cancelledAt: new Date().toISOString(),
      },
      to,
    );
    const shipment = await findShipmentOfOrder(g.pool, order.orderId);
    assert.equal(shipment?.status, 'cancelled');
    assert.deepEqual(await publishedTypes(g.pool, shipment.id), [
      'shipping.shipment_scheduled.v1',
      'shipping.shipment_cancelled.v1',
    ]);
  });
});
