// Back-in-stock alerts: a customer asks about a product on sale (its SKU and name from the product
// service), lists and drops alerts; inventory.back_in_stock.v1 turns each alert for the product
// into one message (inbox and email, in the customer's language, no marketing consent needed)
// and removes it; a redelivered event makes nothing more. Bad input is a problem, and changes
// nothing stored.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AuthUserRegisteredV1, InventoryBackInStockV1 } from '@shopnow/contracts';
import { MAX_STOCK_ALERTS } from '../src/http/stock-alert-routes.ts';
import {
  assertProblem,
  asUser,
  deliver,
  eventually,
  type Fixture,
  messagesOf,
  registered,
  startNotification,
} from './helpers.ts';

let f: Fixture;
before(async () => {
  f = await startNotification();
});
after(async () => {
  await f?.close();
});

function productOnSale(name = 'Green Tea') {
  const productId = randomUUID();
  const sku = `TEA-${productId.slice(0, 6).toUpperCase()}`;
  f.products.onSale.set(productId, { sku, name });
  return { productId, sku, name };
}

async function customer(locale = 'en-GB') {
  const user = registered();
  await deliver(f, AuthUserRegisteredV1, user.userId, user);
  f.profile.prefs.set(user.userId, { marketingOptIn: false, channels: ['email', 'in_app'], locale });
  return { ...user, headers: await asUser(f, user.userId) };
}

const ask = (headers: Record<string, string>, productId: string) =>
  f.app.inject({ method: 'PUT', url: `/stock-alerts/${productId}`, headers });
const mine = async (headers: Record<string, string>) =>
  (await f.app.inject({ method: 'GET', url: '/stock-alerts', headers })).json().items as Array<{
    productId: string;
    sku: string;
    name: string;
  }>;
const backInStock = (p: { productId: string; sku: string }, eventId?: string) =>
  deliver(f, InventoryBackInStockV1, p.sku, { sku: p.sku, productId: p.productId, available: 3 }, eventId);

describe('back-in-stock alerts', () => {
  it('are asked for, listed and dropped; asking twice keeps one', async () => {
    const alice = await customer();
    const tea = productOnSale();
    const first = await ask(alice.headers, tea.productId);
    assert.equal(first.statusCode, 201, first.body);
    const { createdAt, ...alert } = first.json() as { createdAt: string };
    assert.deepEqual(alert, { productId: tea.productId, sku: tea.sku, name: tea.name });
    assert.ok(!Number.isNaN(Date.parse(createdAt)));
    assert.equal((await ask(alice.headers, tea.productId)).statusCode, 200);
    assert.deepEqual(
      (await mine(alice.headers)).map((a) => a.productId),
      [tea.productId],
    );
    const other = await customer();
    assert.deepEqual(await mine(other.headers), [], "another customer's alerts are not mine");
    assertProblem(
      await f.app.inject({ method: 'DELETE', url: `/stock-alerts/${tea.productId}`, headers: other.headers }),
      404,
      'notification.stock_alert_not_found',
    );
    const dropped = await f.app.inject({
      method: 'DELETE',
      url: `/stock-alerts/${tea.productId}`,
      headers: alice.headers,
    });
    assert.equal(dropped.statusCode, 204);
    assert.deepEqual(await mine(alice.headers), []);
  });

  it('become one message each when the product is back, then are gone; a redelivery sends nothing more', async () => {
    const alice = await customer();
    const bernd = await customer('de-DE');
    const bystander = await customer();
    const tea = productOnSale('Grüner Tee <Sencha>');
    const other = productOnSale('Coffee');
    for (const c of [alice, bernd]) assert.equal((await ask(c.headers, tea.productId)).statusCode, 201);
    assert.equal((await ask(bystander.headers, other.productId)).statusCode, 201);

    const eventId = await backInStock(tea);
    await backInStock(tea, eventId); // delivered again
    for (const c of [alice, bernd]) {
      await eventually('the message is stored', async () =>
        (await messagesOf(f.pool, { userId: c.userId })).some((m) => m.status === 'stored'),
      );
      assert.deepEqual(
        (await messagesOf(f.pool, { userId: c.userId })).map((m) => m.kind),
        ['back_in_stock'],
      );
      assert.deepEqual(await mine(c.headers), [], 'the alert is used up');
    }
    assert.deepEqual(await messagesOf(f.pool, { userId: bystander.userId }), []);
    assert.equal((await mine(bystander.headers)).length, 1, 'an alert for another product stays');

    const { rows } = await f.pool.query(
      'SELECT user_id, subject, text_body, html FROM messages WHERE kind = $1 AND user_id = ANY($2)',
      ['back_in_stock', [alice.userId, bernd.userId]],
    );
    const of = (userId: string) => rows.find((r) => r.user_id === userId);
    assert.equal(of(alice.userId).subject, 'Grüner Tee <Sencha> is back in stock');
    assert.equal(of(bernd.userId).subject, 'Grüner Tee <Sencha> ist wieder verfügbar');
    assert.match(of(alice.userId).text_body, new RegExp(`https://shop.example/products/${tea.productId}`));
    assert.ok(!of(alice.userId).html.includes('<Sencha>'), 'the name is escaped in HTML');
    const inbox = (await f.app.inject({ method: 'GET', url: '/inbox', headers: alice.headers })).json();
    assert.deepEqual(
      inbox.items.map((i: { kind: string }) => i.kind),
      ['back_in_stock'],
    );
  });

  it('refuse a product not on sale, a bad id, a missing token, and a product service that cannot answer', async () => {
    const alice = await customer();
    assertProblem(await ask(alice.headers, randomUUID()), 404, 'notification.product_not_found');
    assertProblem(await ask(alice.headers, 'not-a-uuid'), 400);
    assertProblem(await f.app.inject({ method: 'GET', url: '/stock-alerts' }), 401);
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/stock-alerts?colour=red', headers: alice.headers }),
      400,
    );
    const tea = productOnSale();
    f.products.down = true;
    try {
      assertProblem(await ask(alice.headers, tea.productId), 503);
    } finally {
      f.products.down = false;
    }
    assert.deepEqual(await mine(alice.headers), [], 'nothing was stored by any of it');
  });

  it(`hold at most ${MAX_STOCK_ALERTS} per customer; asking again for one held still works`, async () => {
    const alice = await customer();
    const held = [];
    for (let i = 0; i < MAX_STOCK_ALERTS; i++) {
      const p = productOnSale(`Tea ${i}`);
      held.push(p);
      assert.equal((await ask(alice.headers, p.productId)).statusCode, 201);
    }
    assertProblem(
      await ask(alice.headers, productOnSale().productId),
      409,
      'notification.too_many_stock_alerts',
    );
    assert.equal((await ask(alice.headers, (held[0] as { productId: string }).productId)).statusCode, 200);
    assert.equal((await mine(alice.headers)).length, MAX_STOCK_ALERTS);
  });

  it('concurrent asks one below the limit: exactly one more is stored', async () => {
    const bernd = await customer();
    for (let i = 0; i < MAX_STOCK_ALERTS - 1; i++) {
      assert.equal((await ask(bernd.headers, productOnSale(`Coffee ${i}`).productId)).statusCode, 201);
    }
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => ask(bernd.headers, productOnSale(`Cocoa ${i}`).productId)),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
    assert.equal((await mine(bernd.headers)).length, MAX_STOCK_ALERTS);
  });
});
