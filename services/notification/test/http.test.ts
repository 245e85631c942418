// The HTTP side: the user's inbox (newest first with a cursor, unread count, mark one and all
// read, nobody else's items), the developer mailbox on and off, the admin routes' guard, and bad
// input answered with problem+json, changing nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  AuthEmailVerificationRequestedV1,
  AuthUserRegisteredV1,
  OrderCancelledV1,
  OrderConfirmedV1,
  PaymentRefundedV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentScheduledV1,
} from '@shopnow/contracts';
import {
  asAdmin,
  assertProblem,
  asUser,
  deliver,
  eventually,
  type Fixture,
  messagesOf,
  orderConfirmed,
  registered,
  startNotification,
} from './helpers.ts';

let f: Fixture;
let noMailbox: Fixture;
before(async () => {
  // No SMTP_URL: everything is rendered and stored, readable in the mailbox and the inbox.
  f = await startNotification();
  noMailbox = await startNotification({ DEV_MAILBOX: false });
});
after(async () => {
  await f?.close();
  await noMailbox?.close();
});

async function customerWithOrders(n: number) {
  const user = registered();
  await deliver(f, AuthUserRegisteredV1, user.userId, user);
  const orders = [];
  for (let i = 0; i < n; i++) {
    const order = orderConfirmed(user.userId);
    orders.push(order);
    await deliver(f, OrderConfirmedV1, order.orderId, order);
  }
  await eventually('the inbox items exist', async () => {
    const { rows } = await f.pool.query('SELECT count(*)::int AS n FROM inbox_items WHERE user_id = $1', [
      user.userId,
    ]);
    return rows[0].n === n;
  });
  return { user, orders, headers: await asUser(f, user.userId) };
}

describe('inbox', () => {
  it('lists my messages newest first by cursor, counts unread, marks one and all read', async () => {
    const { orders, headers } = await customerWithOrders(3);
    const first = await f.app.inject({ method: 'GET', url: '/inbox?limit=2', headers });
    assert.equal(first.statusCode, 200, first.body);
    const page1 = first.json();
    assert.equal(page1.items.length, 2);
    assert.equal(page1.unreadCount, 3);
    assert.ok(page1.nextCursor);
    const number = (id: string) => id.replaceAll('-', '').slice(0, 8).toUpperCase();
    assert.equal(
      page1.items[0].title,
      `Order ${number((orders[2] as { orderId: string }).orderId)} confirmed`,
    );
    assert.equal(page1.items[0].link, `https://shop.example/orders/${orders[2]?.orderId}`);
    const second = await f.app.inject({
      method: 'GET',
      url: `/inbox?limit=2&cursor=${page1.nextCursor}`,
      headers,
    });
    assert.equal(second.json().items.length, 1);
    assert.equal(second.json().nextCursor, null);

    const read = await f.app.inject({ method: 'POST', url: `/inbox/${page1.items[0].id}/read`, headers });
    assert.equal(read.statusCode, 200, read.body);
    assert.ok(read.json().readAt);
    const count = await f.app.inject({ method: 'GET', url: '/inbox/unread-count', headers });
    assert.deepEqual(count.json(), { unreadCount: 2 });
    const unread = await f.app.inject({ method: 'GET', url: '/inbox?unread=true', headers });
    assert.equal(unread.json().items.length, 2);
    const all = await f.app.inject({ method: 'POST', url: '/inbox/read-all', headers });
    assert.deepEqual(all.json(), { marked: 2 });
    assert.deepEqual((await f.app.inject({ method: 'GET', url: '/inbox/unread-count', headers })).json(), {
      unreadCount: 0,
    });
  });

  it("another user's item is a 404 and stays unread; no token is a 401; a service token is a 403", async () => {
    const { headers } = await customerWithOrders(1);
    const [item] = (await f.app.inject({ method: 'GET', url: '/inbox', headers })).json().items;
    const stranger = await asUser(f);
    assertProblem(
      await f.app.inject({ method: 'POST', url: `/inbox/${item.id}/read`, headers: stranger }),
      404,
      'notification.not_found',
    );
    assert.equal(
      (await f.app.inject({ method: 'GET', url: '/inbox', headers: stranger })).json().items.length,
      0,
    );
    assert.equal(
      (await f.app.inject({ method: 'GET', url: '/inbox/unread-count', headers })).json().unreadCount,
      1,
    );
    assertProblem(await f.app.inject({ method: 'GET', url: '/inbox' }), 401);
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/inbox', headers: { 'x-user-id': randomUUID() } }),
      401,
    );
    const service = { authorization: `Bearer ${await f.issuer.service('order')}` };
    assertProblem(await f.app.inject({ method: 'GET', url: '/inbox', headers: service }), 403);
  });

  it('bad input is a 400 problem', async () => {
    const headers = await asUser(f);
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/inbox?limit=0', headers }),
      400,
      'validation_failed',
    );
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/inbox?limit=abc', headers }),
      400,
      'validation_failed',
    );
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/inbox?cursor=nope', headers }),
      400,
      'notification.invalid_cursor',
    );
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/inbox?colour=red', headers }),
      400,
      'validation_failed',
    );
    assertProblem(
      await f.app.inject({ method: 'POST', url: '/inbox/not-a-uuid/read', headers }),
      400,
      'validation_failed',
    );
  });

  it('account messages go by email only; a cancelled order reaches the inbox too', async () => {
    const user = registered();
    await deliver(f, AuthUserRegisteredV1, user.userId, user);
    await deliver(f, AuthEmailVerificationRequestedV1, user.userId, {
      userId: user.userId,
      email: user.email,
      token: 'v'.repeat(43),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await deliver(f, OrderCancelledV1, randomUUID(), {
      orderId: randomUUID(),
      userId: user.userId,
      reason: 'payment_declined',
      refunded: false,
      cancelledAt: new Date().toISOString(),
    });
    await eventually('both prepared', async () =>
      (await messagesOf(f.pool, { userId: user.userId })).every((m) => m.status === 'stored'),
    );
    const items = (
      await f.app.inject({ method: 'GET', url: '/inbox', headers: await asUser(f, user.userId) })
    ).json().items;
    assert.deepEqual(
      items.map((i: { kind: string }) => i.kind),
      ['order_cancelled'],
    );
    assert.match(items[0].body, /payment was declined/);
  });
  it("a shipment's steps and a refund follow the order into the inbox, each once", async () => {
    const { user, orders, headers } = await customerWithOrders(1);
    const orderId = (orders[0] as { orderId: string }).orderId;
    const shipment = { shipmentId: randomUUID(), orderId, userId: user.userId, trackingNumber: 'SN12345678' };
    const berlin = { city: 'Berlin', country: 'DE' };
    const now = () => new Date().toISOString();
    await deliver(f, ShipmentScheduledV1, shipment.shipmentId, {
      ...shipment,
      carrier: 'parcelpost',
      serviceLevel: 'standard',
      estimatedDelivery: '2030-01-03',
      destination: { city: 'Springfield', country: 'DE' },
      scheduledAt: now(),
    });
    const dispatched = { ...shipment, location: berlin, dispatchedAt: now() };
    await deliver(f, ShipmentDispatchedV1, shipment.shipmentId, dispatched);
    await deliver(f, ShipmentDispatchedV1, shipment.shipmentId, dispatched); // the producer again: no second message
    await deliver(f, ShipmentDeliveredV1, shipment.shipmentId, {
      ...shipment,
      location: berlin,
      deliveredAt: now(),
    });
    await deliver(f, OrderCancelledV1, orderId, {
      orderId,
      userId: user.userId,
      reason: 'customer_request',
      refunded: true,
      cancelledAt: now(),
    });
    await deliver(f, PaymentRefundedV1, orderId, {
      orderId,
      paymentId: randomUUID(),
      refundId: 're_123',
      amount: { amountMinor: 4544, currency: 'EUR' },
      refundedAt: now(),
    });
    await eventually('all in the inbox', async () => {
      const { rows } = await f.pool.query('SELECT count(*)::int AS n FROM inbox_items WHERE user_id = $1', [
        user.userId,
      ]);
      return rows[0].n === 6;
    });
    const items = (await f.app.inject({ method: 'GET', url: '/inbox', headers })).json().items;
    assert.deepEqual(
      items.map((i: { kind: string }) => i.kind),
      [
        'order_refunded',
        'order_cancelled',
        'shipment_delivered',
        'shipment_dispatched',
        'shipment_scheduled',
        'order_confirmed',
      ],
    );
    assert.equal(items[4].link, 'https://shop.example/track/SN12345678');
    assert.match(items[0].body, /€45.44 refunded/);
  });
});

describe('developer mailbox', () => {
  it('lists every stored email and shows one as HTML and text (no SMTP_URL: stored, not sent)', async () => {
    const user = registered();
    await deliver(f, AuthUserRegisteredV1, user.userId, user);
    const token = 'T0ken_'.repeat(8);
    await deliver(f, AuthEmailVerificationRequestedV1, user.userId, {
      userId: user.userId,
      email: user.email,
      token,
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await eventually(
      'stored',
      async () => (await messagesOf(f.pool, { email: user.email }))[0]?.status === 'stored',
    );
    const list = await f.app.inject({
      method: 'GET',
      url: `/dev/mailbox?to=${encodeURIComponent(user.email)}`,
    });
    assert.equal(list.statusCode, 200, list.body);
    const [mail] = list.json().items;
    assert.equal(mail.subject, 'Confirm your email address');
    assert.equal(mail.status, 'stored');
    const one = await f.app.inject({ method: 'GET', url: `/dev/mailbox/${mail.id}` });
    assert.ok(one.json().text.includes(`https://shop.example/verify-email?token=${token}`));
    const page = await f.app.inject({ method: 'GET', url: `/dev/mailbox/${mail.id}/html` });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.ok(page.body.includes(`href="https://shop.example/verify-email?token=${token}"`));
    assertProblem(
      await f.app.inject({ method: 'GET', url: `/dev/mailbox/${randomUUID()}` }),
      404,
      'notification.not_found',
    );
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/dev/mailbox?limit=1000' }),
      400,
      'validation_failed',
    );
  });

  it('does not exist without DEV_MAILBOX', async () => {
    assertProblem(await noMailbox.app.inject({ method: 'GET', url: '/dev/mailbox' }), 404);
    assertProblem(
      await noMailbox.app.inject({ method: 'GET', url: `/dev/mailbox/${randomUUID()}/html` }),
      404,
    );
  });
});

describe('admin', () => {
  it('needs the admin role; bad input is a 400 and makes no message', async () => {
    assertProblem(await f.app.inject({ method: 'GET', url: '/admin/messages/dead' }), 401);
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/admin/messages/dead', headers: await asUser(f) }),
      403,
    );
    const admin = await asAdmin(f);
    assertProblem(
      await f.app.inject({ method: 'POST', url: `/admin/messages/${randomUUID()}/retry`, headers: admin }),
      404,
      'notification.not_found',
    );
    const before = (await f.pool.query('SELECT count(*)::int AS n FROM messages')).rows[0].n;
    for (const payload of [
      {},
      { headline: '', body: 'x' },
      { headline: 'x', body: 'y', link: 'javascript:alert(1)' },
      { headline: 'x', body: 'y', extra: 1 },
    ]) {
      assertProblem(
        await f.app.inject({ method: 'POST', url: '/admin/promotions', headers: admin, payload }),
        400,
        'validation_failed',
      );
    }
    assertProblem(
      await f.app.inject({
        method: 'POST',
        url: '/admin/promotions',
        headers: { ...admin, 'content-type': 'application/json' },
        payload: '{"headline":',
      }),
      400,
    );
    assert.equal((await f.pool.query('SELECT count(*)::int AS n FROM messages')).rows[0].n, before);
  });

  it('a message that is not dead cannot be retried (409)', async () => {
    const { user } = await customerWithOrders(1);
    const [m] = await messagesOf(f.pool, { userId: user.userId });
    assertProblem(
      await f.app.inject({
        method: 'POST',
        url: `/admin/messages/${m?.id}/retry`,
        headers: await asAdmin(f),
      }),
      409,
      'notification.not_dead',
    );
  });

  it('serves its OpenAPI document', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const paths = Object.keys(res.json().paths);
    for (const path of [
      '/inbox',
      '/inbox/{id}/read',
      '/admin/messages/dead',
      '/admin/promotions',
      '/dev/mailbox',
    ]) {
      assert.ok(paths.includes(path), `${path} documented`);
    }
  });
});
