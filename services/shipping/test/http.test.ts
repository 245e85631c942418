// The HTTP API on the real app: customers read their own shipments (someone else's is 404); the
// public tracking page shows status, carrier, expected day and city-level steps and nothing
// personal; admins list, filter, inspect, advance and mark exceptions; bad input is a clear 4xx
// problem that changes nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { withTransaction } from '@shopnow/chassis';
import { ShipmentDispatchedV1, ShipmentExceptionV1 } from '@shopnow/contracts';
import { settingsOf } from '../src/app.ts';
import { scheduleShipment } from '../src/shipments/schedule.ts';
import type { Shipment } from '../src/store/shipments.ts';
import {
  ADDRESS,
  assertProblem,
  asUser,
  orderConfirmed,
  published,
  type ShippingFixture,
  snapshot,
  startShipping,
  testContext,
} from './helpers.ts';

let f: ShippingFixture;
let admin: Record<string, string>;
before(async () => {
  f = await startShipping();
  admin = await asUser(f, randomUUID(), ['admin']);
});
after(async () => {
  await f?.close();
});

/** A scheduled shipment of a new order of `userId`. */
async function shipmentOf(
  userId: string,
  overrides: Parameters<typeof orderConfirmed>[0] = {},
): Promise<Shipment> {
  const ctx = testContext(f.pool);
  const result = await withTransaction(f.pool, (tx) =>
    scheduleShipment(tx, ctx, orderConfirmed({ userId, ...overrides }), 'test'),
  );
  assert.equal(result.outcome, 'scheduled');
  return (result as { shipment: Shipment }).shipment;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  f.app.inject({ method: 'GET', url, headers });
const post = (url: string, headers: Record<string, string>, payload?: string | object) =>
  payload === undefined
    ? f.app.inject({ method: 'POST', url, headers })
    : f.app.inject({ method: 'POST', url, headers, payload });

describe('customer routes', () => {
  it('my shipments, one with its history, the one of my order; another customer gets 404', async () => {
    const userId = randomUUID();
    const me = await asUser(f, userId);
    const first = await shipmentOf(userId);
    const second = await shipmentOf(userId);
    await shipmentOf(randomUUID());

    const list = await get('/shipments', me);
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual(
      list.json().items.map((s: { id: string }) => s.id),
      [second.id, first.id],
    );
    const paged = await get('/shipments?limit=1', me);
    const next = await get(`/shipments?limit=1&cursor=${paged.json().nextCursor}`, me);
    assert.deepEqual(
      [paged.json().items[0].id, next.json().items[0].id, next.json().nextCursor],
      [second.id, first.id, null],
    );

    const one = await get(`/shipments/${first.id}`, me);
    assert.equal(one.statusCode, 200, one.body);
    const body = one.json();
    assert.equal(body.trackingNumber, first.trackingNumber);
    assert.deepEqual(body.address, ADDRESS);
    assert.deepEqual(
      body.history.map((h: { status: string }) => h.status),
      ['scheduled'],
    );
    assert.equal(body.history[0].cause, undefined, 'causes (admin ids) are not the customer’s');

    const byOrder = await get(`/shipments/by-order/${first.orderId}`, me);
    assert.equal(byOrder.json().id, first.id);

    const stranger = await asUser(f);
    assertProblem(await get(`/shipments/${first.id}`, stranger), 404, 'shipping.not_found');
    assertProblem(await get(`/shipments/by-order/${first.orderId}`, stranger), 404, 'shipping.not_found');
    assert.deepEqual((await get('/shipments', stranger)).json().items, []);
    assert.equal((await get(`/shipments/${first.id}`, admin)).statusCode, 200);
  });

  it('needs a signed-in user; refuses bad ids, cursors and filters with a problem', async () => {
    assertProblem(await get('/shipments'), 401);
    assertProblem(await get(`/shipments/${randomUUID()}`, { authorization: 'Bearer nope' }), 401);
    const me = await asUser(f);
    assertProblem(await get('/shipments/not-a-uuid', me), 400);
    assertProblem(await get('/shipments?cursor=abc', me), 400, 'shipping.invalid_cursor');
    assertProblem(await get('/shipments?status=lost', me), 400);
    assertProblem(await get('/shipments?limit=0', me), 400);
    assertProblem(await get('/shipments?extra=1', me), 400);
  });
});

describe('public tracking', () => {
  it('shows status, carrier, expected day and city-level steps, nothing personal', async () => {
    const userId = randomUUID();
    const shipment = await shipmentOf(userId, {
      shippingAddress: { ...ADDRESS, city: 'Lyon', country: 'FR' },
    });
    await post(`/admin/shipments/${shipment.id}/advance`, admin);
    await post(`/admin/shipments/${shipment.id}/advance`, admin);
    await post(`/admin/shipments/${shipment.id}/advance`, admin);

    const res = await get(`/tracking/${shipment.trackingNumber}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), [
      'carrier',
      'estimatedDelivery',
      'history',
      'serviceLevel',
      'status',
      'trackingNumber',
    ]);
    assert.equal(body.status, 'out_for_delivery');
    assert.equal(body.carrier, 'swiftair');
    assert.deepEqual(
      body.history.map((h: { status: string; location: unknown }) => [h.status, h.location]),
      [
        ['scheduled', { city: 'Rotterdam', country: 'NL' }],
        ['picked_up', { city: 'Rotterdam', country: 'NL' }],
        ['in_transit', { city: 'Rotterdam', country: 'NL' }],
        ['out_for_delivery', { city: 'Lyon', country: 'FR' }],
      ],
    );
    for (const secret of [
      ADDRESS.recipientName,
      ADDRESS.line1,
      ADDRESS.line2,
      ADDRESS.postalCode,
      ADDRESS.phone,
      ADDRESS.region,
      userId,
      shipment.orderId,
      shipment.id,
      'AUD-001',
      'Headphones',
      'admin:',
    ]) {
      assert.ok(!res.body.includes(secret), `the tracking page shows ${secret}`);
    }
    // As typed by a person: lower case, with spaces and dashes.
    const typed = `${shipment.trackingNumber.slice(0, 6).toLowerCase()}-${shipment.trackingNumber.slice(6)}`;
    assert.equal(
      (await get(`/tracking/${encodeURIComponent(typed)}`)).json().trackingNumber,
      shipment.trackingNumber,
    );
  });

  it('an unknown number is 404, a malformed one 400', async () => {
    assertProblem(await get('/tracking/SN00000000000000'), 404, 'shipping.not_found');
    assertProblem(await get('/tracking/SN123'), 400);
    assertProblem(await get(`/tracking/${encodeURIComponent("SN'; DROP TABLE shipments")}`), 400);
  });
});

describe('admin routes', () => {
  it('lists with filters, shows one with its full history', async () => {
    const userId = randomUUID();
    const a = await shipmentOf(userId);
    const b = await shipmentOf(userId, { shippingAddress: { ...ADDRESS, country: 'BE', city: 'Gent' } });
    const list = await get(`/admin/shipments?userId=${userId}`, admin);
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual(
      list.json().items.map((s: { id: string }) => s.id),
      [b.id, a.id],
    );
    const swift = await get(`/admin/shipments?userId=${userId}&carrier=swiftair`, admin);
    assert.deepEqual(
      swift.json().items.map((s: { id: string }) => s.id),
      [b.id],
    );
    const byOrder = await get(`/admin/shipments?orderId=${a.orderId}&status=scheduled`, admin);
    assert.deepEqual(
      byOrder.json().items.map((s: { id: string }) => s.id),
      [a.id],
    );
    const one = await get(`/admin/shipments/${a.id}`, admin);
    assert.equal(one.statusCode, 200, one.body);
    assert.equal(one.json().userId, userId);
    assert.deepEqual(one.json().history[0].cause, 'test');
    assert.equal(
      (await get(`/admin/shipments/${a.id}`, await asUser(f, randomUUID(), ['support']))).statusCode,
      200,
    );
  });

  it('advances step by step and records who; refuses a move past the end with 409 saying why', async () => {
    const shipment = await shipmentOf(randomUUID());
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post(`/admin/shipments/${shipment.id}/advance`, admin);
      assert.equal(res.statusCode, 200, res.body);
      statuses.push(res.json().status);
    }
    assert.deepEqual(statuses, ['picked_up', 'in_transit', 'out_for_delivery', 'delivered']);
    const [dispatched] = await published(f.pool, ShipmentDispatchedV1, shipment.id);
    assert.equal(dispatched?.orderId, shipment.orderId);
    const before = await snapshot(f.pool);
    const refused = assertProblem(
      await post(`/admin/shipments/${shipment.id}/advance`, admin),
      409,
      'shipping.invalid_move',
    );
    assert.match(String(refused.detail), /delivered shipment moves no further/);
    assertProblem(
      await post(`/admin/shipments/${shipment.id}/exception`, admin, { reason: 'lost' }),
      409,
      'shipping.invalid_move',
    );
    assert.equal(await snapshot(f.pool), before);
    const history = (await get(`/admin/shipments/${shipment.id}`, admin)).json().history;
    assert.match(history[1].cause, /^admin:[0-9a-f-]{36}$/);
  });

  it('marks an exception with a reason, published with the status it interrupted', async () => {
    const shipment = await shipmentOf(randomUUID());
    await post(`/admin/shipments/${shipment.id}/advance`, admin);
    const res = await post(`/admin/shipments/${shipment.id}/exception`, admin, { reason: 'damaged' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      [res.json().status, res.json().reason, res.json().nextStepAt],
      ['exception', 'damaged', null],
    );
    const [event] = await published(f.pool, ShipmentExceptionV1, shipment.id);
    assert.deepEqual(
      [event?.reason, event?.previousStatus, event?.location],
      ['damaged', 'picked_up', { city: 'Rotterdam', country: 'NL' }],
    );
  });

  it('an Idempotency-Key replays the first advance instead of advancing twice', async () => {
    const shipment = await shipmentOf(randomUUID());
    const headers = { ...admin, 'idempotency-key': `advance-${shipment.id}` };
    const first = await post(`/admin/shipments/${shipment.id}/advance`, headers);
    const again = await post(`/admin/shipments/${shipment.id}/advance`, headers);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual([first.json().status, again.json().status], ['picked_up', 'picked_up']);
    assert.equal((await get(`/admin/shipments/${shipment.id}`, admin)).json().status, 'picked_up');
  });

  it('refuses callers without the role and bad input, changing nothing', async () => {
    const shipment = await shipmentOf(randomUUID());
    const before = await snapshot(f.pool);
    const customer = await asUser(f);
    const support = await asUser(f, randomUUID(), ['support']);
    assertProblem(await get('/admin/shipments'), 401);
    assertProblem(await get('/admin/shipments', customer), 403);
    assertProblem(await post(`/admin/shipments/${shipment.id}/advance`, customer), 403);
    assertProblem(await post(`/admin/shipments/${shipment.id}/advance`, support), 403);
    assertProblem(await post(`/admin/shipments/${randomUUID()}/advance`, admin), 404, 'shipping.not_found');
    assertProblem(await post('/admin/shipments/nope/advance', admin), 400);
    for (const payload of [{}, { reason: 'Box fell off!' }, { reason: 'lost', note: 'x' }, ['lost']]) {
      assertProblem(await post(`/admin/shipments/${shipment.id}/exception`, admin, payload), 400);
    }
    assertProblem(await post(`/admin/shipments/${shipment.id}/exception`, admin, 'lost'), 415);
    assertProblem(await get('/admin/shipments?carrier=DHL Express', admin), 400);
    assertProblem(await get('/admin/shipments?userId=me', admin), 400);
    assert.equal(await snapshot(f.pool), before);
  });
});

describe('OpenAPI', () => {
  it('documents every route for the gateway to merge', async () => {
    const doc = (await get('/openapi.json')).json();
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      '/admin/events/dead-letters',
      '/admin/events/dead-letters/{id}',
      '/admin/events/dead-letters/{id}/replay',
      '/admin/shipments',
      '/admin/shipments/{id}',
      '/admin/shipments/{id}/advance',
      '/admin/shipments/{id}/exception',
      '/shipments',
      '/shipments/by-order/{orderId}',
      '/shipments/{id}',
      '/tracking/{trackingNumber}',
    ]);
    assert.equal(settingsOf({ CARRIER_STEP_SECONDS: 0 } as never).carrierStepSeconds, null);
  });
});
