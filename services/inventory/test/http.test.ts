// The HTTP API on the real app: the public availability read, and the admin stock and reservation
// routes. Only an admin's verified token passes the admin routes (a customer gets 403 before any
// body is read, no token 401, a forged role header nothing); bad input is a 4xx problem naming
// the field and changes nothing; an adjustment can never take available below 0 (409).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { withTransaction } from '@shopnow/chassis';
import { InventoryStockLowV1 } from '@shopnow/contracts';
import { reserveOrder } from '../src/reservations/reserve.ts';
import {
  addSku,
  assertInvariant,
  assertProblem,
  asUser,
  type InventoryFixture,
  orderPlaced,
  published,
  snapshot,
  startInventory,
  testContext,
} from './helpers.ts';

let f: InventoryFixture;
let admin: { authorization: string };
let customer: { authorization: string };
before(async () => {
  f = await startInventory();
  admin = await asUser(f, ['admin']);
  customer = await asUser(f, ['customer']);
  for (const [sku, units] of [
    ['HTTP-001', 10],
    ['HTTP-002', 3],
    ['HTTP-003', 0],
    ['HTTP-004', 7],
  ] as const) {
    await addSku(f.pool, sku, units);
  }
  await addSku(f.pool, 'HTTP-OFF', 4, { active: false });
});
after(async () => {
  await f?.close();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  f.app.inject({ method: 'GET', url, headers });
const post = (url: string, payload: unknown, headers: Record<string, string> = admin) =>
  f.app.inject({ method: 'POST', url, headers, payload: payload as object });

describe('availability (public)', () => {
  it('answers several SKUs at once without a token, listing the unknown ones', async () => {
    const res = await get('/inventory/availability?sku=HTTP-001&sku=http-003&sku=NOPE-9&sku=HTTP-OFF');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      items: [
        { sku: 'HTTP-001', available: 10, purchasable: true },
        { sku: 'HTTP-003', available: 0, purchasable: false },
        { sku: 'HTTP-OFF', available: 4, purchasable: false },
      ],
      unknown: ['NOPE-9'],
    });
    const one = await get('/inventory/availability?sku=HTTP-002');
    assert.deepEqual(one.json().items, [{ sku: 'HTTP-002', available: 3, purchasable: true }]);
  });

  it('the one-SKU form answers 404 for an unknown SKU', async () => {
    assert.deepEqual((await get('/inventory/availability/http-002')).json(), {
      sku: 'HTTP-002',
      available: 3,
      purchasable: true,
    });
    assertProblem(await get('/inventory/availability/NOPE-9'), 404, 'inventory.sku_not_found');
  });

  it('refuses no SKU, a malformed SKU, too many SKUs and unknown parameters with 400', async () => {
    assertProblem(await get('/inventory/availability'), 400, 'validation_failed');
    assertProblem(await get('/inventory/availability?sku=%20bad%20'), 400, 'validation_failed');
    const many = Array.from({ length: 101 }, (_, i) => `sku=S-${i}`).join('&');
    assertProblem(await get(`/inventory/availability?${many}`), 400, 'validation_failed');
    assertProblem(await get('/inventory/availability?sku=HTTP-001&x=1'), 400, 'validation_failed');
  });
});

describe('admin access', () => {
  const routes: Array<[string, string, unknown]> = [
    ['GET', '/inventory/stock', undefined],
    ['GET', '/inventory/stock/HTTP-001', undefined],
    ['POST', '/inventory/stock/HTTP-001/restock', { quantity: 1, reason: 'delivery' }],
    ['POST', '/inventory/stock/HTTP-001/adjustments', { delta: -1, reason: 'damaged' }],
    ['PUT', '/inventory/stock/HTTP-001/threshold', { threshold: 2 }],
    ['GET', `/inventory/reservations/${randomUUID()}`, undefined],
  ];

  it('refuses customers (403), anonymous callers (401) and forged role headers, changing nothing', async () => {
    const before = await snapshot(f.pool);
    for (const [method, url, payload] of routes) {
      const as = async (headers: Record<string, string>) =>
        f.app.inject({ method: method as 'GET', url, headers, payload: payload as object });
      assertProblem(await as(customer), 403, 'forbidden');
      assertProblem(await as(await asUser(f, ['support'])), 403, 'forbidden');
      assertProblem(await as({}), 401, 'unauthorized');
      assertProblem(await as({ 'x-user-roles': 'admin', 'x-user-id': randomUUID() }), 401, 'unauthorized');
      // The role is checked before the body: a customer learns nothing about valid bodies.
      if (payload !== undefined) assertProblem(await as({ ...customer }), 403);
    }
    assert.equal(await snapshot(f.pool), before);
  });
});

describe('admin stock', () => {
  it('lists SKUs by SKU with a cursor, and only the low ones on request', async () => {
    const first = await get('/inventory/stock?limit=2', admin);
    assert.equal(first.statusCode, 200, first.body);
    const page = first.json();
    assert.deepEqual(
      page.items.map((s: { sku: string }) => s.sku),
      ['HTTP-001', 'HTTP-002'],
    );
    assert.equal(typeof page.nextCursor, 'string');
    const rest = (await get(`/inventory/stock?limit=50&cursor=${page.nextCursor}`, admin)).json();
    assert.deepEqual(
      rest.items.map((s: { sku: string }) => s.sku),
      ['HTTP-003', 'HTTP-004', 'HTTP-OFF'],
    );
    assert.equal(rest.nextCursor, null);
    const low = (await get('/inventory/stock?low=true', admin)).json();
    assert.deepEqual(
      low.items.map((s: { sku: string; low: boolean }) => [s.sku, s.low]),
      [
        ['HTTP-002', true],
        ['HTTP-003', true],
        ['HTTP-OFF', true],
      ],
    );
    assertProblem(await get('/inventory/stock?cursor=not-a-cursor!', admin), 400);
    assertProblem(await get('/inventory/stock?cursor=Zm9v', admin), 400, 'inventory.invalid_cursor');
    assertProblem(await get('/inventory/stock?limit=0', admin), 400, 'validation_failed');
    assertProblem(await get('/inventory/stock?limit=abc', admin), 400, 'validation_failed');
  });

  it('shows one SKU with counts, threshold and recent movements; 404 for an unknown one', async () => {
    const res = await get('/inventory/stock/http-004', admin);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.sku, 'HTTP-004');
    assert.deepEqual([body.available, body.reserved, body.sold], [7, 0, 0]);
    assert.deepEqual(body.lowThreshold, { effective: 5, own: null });
    assert.deepEqual(
      body.movements.map((m: { kind: string; available: number }) => [m.kind, m.available]),
      [['initial', 7]],
    );
    assertProblem(await get('/inventory/stock/NOPE-9', admin), 404, 'inventory.sku_not_found');
    assertProblem(await get('/inventory/stock/-bad', admin), 400, 'validation_failed');
  });

  it('restocks with a reason, recorded with who did it; an Idempotency-Key replays the first answer', async () => {
    const headers = { ...admin, 'idempotency-key': randomUUID() };
    const res = await post(
      '/inventory/stock/HTTP-002/restock',
      { quantity: 5, reason: 'delivery 42' },
      headers,
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().available, res.json().low], [8, false]);
    const again = await post(
      '/inventory/stock/HTTP-002/restock',
      { quantity: 5, reason: 'delivery 42' },
      headers,
    );
    assert.equal(again.statusCode, 200);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().available, 8, 'not restocked twice');
    assertProblem(
      await post('/inventory/stock/HTTP-002/restock', { quantity: 6, reason: 'delivery 42' }, headers),
      422,
      'idempotency_key_mismatch',
    );
    const detail = (await get('/inventory/stock/HTTP-002', admin)).json();
    const restock = detail.movements[0];
    assert.equal(restock.kind, 'restock');
    assert.equal(restock.reason, 'delivery 42');
    assert.match(restock.actor, /^user:[0-9a-f-]{36}$/);
  });

  it('adjusts down and up; never below 0 (409, nothing changed); announces a fall below the threshold', async () => {
    const down = await post('/inventory/stock/HTTP-001/adjustments', { delta: -6, reason: 'found damaged' });
    assert.equal(down.statusCode, 200, down.body);
    assert.equal(down.json().available, 4);
    assert.equal((await published(f.pool, InventoryStockLowV1, 'HTTP-001')).length, 1);
    const before = await snapshot(f.pool);
    const tooMuch = assertProblem(
      await post('/inventory/stock/HTTP-001/adjustments', { delta: -5, reason: 'count' }),
      409,
      'inventory.insufficient_stock',
    );
    assert.equal(tooMuch.available, 4);
    assert.equal(await snapshot(f.pool), before);
    const up = await post('/inventory/stock/HTTP-001/adjustments', { delta: 2, reason: 'found in the back' });
    assert.equal(up.json().available, 6);
    await assertInvariant(f.pool);
  });

  it('sets and clears a SKU threshold', async () => {
    const set = await f.app.inject({
      method: 'PUT',
      url: '/inventory/stock/HTTP-004/threshold',
      headers: admin,
      payload: { threshold: 8 },
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual([set.json().lowThreshold, set.json().low], [{ effective: 8, own: 8 }, true]);
    assert.equal((await published(f.pool, InventoryStockLowV1, 'HTTP-004')).length, 1);
    const cleared = await f.app.inject({
      method: 'PUT',
      url: '/inventory/stock/HTTP-004/threshold',
      headers: admin,
      payload: { threshold: null },
    });
    assert.deepEqual(cleared.json().lowThreshold, { effective: 5, own: null });
  });

  it('refuses bad bodies with 400 naming the field, and changes nothing', async () => {
    const before = await snapshot(f.pool);
    const bad: Array<[string, unknown, string]> = [
      ['/restock', { quantity: 0, reason: 'x' }, '/quantity'],
      ['/restock', { quantity: -3, reason: 'x' }, '/quantity'],
      ['/restock', { quantity: 1.5, reason: 'x' }, '/quantity'],
      ['/restock', { quantity: '5', reason: 'x' }, '/quantity'],
      ['/restock', { quantity: 5 }, '/reason'],
      ['/restock', { quantity: 5, reason: '   ' }, '/reason'],
      ['/restock', { quantity: 5, reason: 'x'.repeat(201) }, '/reason'],
      ['/restock', { quantity: 5, reason: 'x', extra: 1 }, '/extra'],
      ['/adjustments', { delta: 0, reason: 'x' }, '/delta'],
      ['/adjustments', { delta: 'many', reason: 'x' }, '/delta'],
      ['/adjustments', { delta: -1 }, '/reason'],
    ];
    for (const [path, payload, field] of bad) {
      const body = assertProblem(
        await post(`/inventory/stock/HTTP-004${path}`, payload),
        400,
        'validation_failed',
      );
      assert.ok(
        body.errors?.some((e) => e.field === field),
        `${path} ${JSON.stringify(payload)}: ${JSON.stringify(body.errors)}`,
      );
    }
    const threshold = await f.app.inject({
      method: 'PUT',
      url: '/inventory/stock/HTTP-004/threshold',
      headers: admin,
      payload: { threshold: -1 },
    });
    assertProblem(threshold, 400, 'validation_failed');
    const notJson = await f.app.inject({
      method: 'POST',
      url: '/inventory/stock/HTTP-004/restock',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"quantity": ',
    });
    assertProblem(notJson, 400);
    assertProblem(
      await post('/inventory/stock/NOPE-9/restock', { quantity: 1, reason: 'x' }),
      404,
      'inventory.sku_not_found',
    );
    assert.equal(await snapshot(f.pool), before);
  });
});

describe('admin reservations', () => {
  it("shows an order's reservation; 404 for an order without one; 400 for a bad id", async () => {
    const order = orderPlaced([['HTTP-004', 2]]);
    await withTransaction(f.pool, (tx) => reserveOrder(tx, testContext(f.pool), order));
    const res = await get(`/inventory/reservations/${order.orderId}`, admin);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.status, 'active');
    assert.deepEqual(body.lines, [{ sku: 'HTTP-004', quantity: 2 }]);
    assert.ok(Date.parse(body.expiresAt) > Date.now());
    assertProblem(
      await get(`/inventory/reservations/${randomUUID()}`, admin),
      404,
      'inventory.reservation_not_found',
    );
    assertProblem(await get('/inventory/reservations/not-a-uuid', admin), 400, 'validation_failed');
  });
});
