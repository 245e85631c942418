// Product's events on real Postgres and the real bus: catalog writes publish product.created,
// product.updated and product.price_changed through the outbox in the write's transaction (a
// rejected write publishes nothing); another service's group receives them; the price-history
// projection consumes price changes through the inbox; dead letters are listed, shown and
// replayed over the admin API and the admin command.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProductCreatedV1, ProductPriceChangedV1, ProductUpdatedV1 } from '@shopnow/contracts';
import { type Consumer, type Delivery, runDeadLetterCommand, type Transport } from '@shopnow/events';
import { ADMIN, assertProblem, type ProductFixture, startProduct } from './helpers.ts';

let f: ProductFixture;
/** A stand-in for another service (its own consumer group) on the product's bus. */
let other: Transport;
let otherConsumer: Consumer;
const received: Array<{ type: string; subject: string; data: Record<string, unknown> }> = [];

before(async () => {
  f = await startProduct();
  other = f.newTransport();
  await other.start();
  otherConsumer = await other.consume(
    {
      group: 'search.products',
      types: [ProductCreatedV1.type, ProductUpdatedV1.type, ProductPriceChangedV1.type],
      concurrency: 4,
    },
    async (delivery: Delivery) => {
      received.push(JSON.parse(String(delivery.payload)));
      return { outcome: 'ack' };
    },
  );
});
after(async () => {
  await otherConsumer?.close();
  await other?.close();
  await f?.close();
});

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting until ${what}`);
}

const outboxTypes = async (subject: string): Promise<string[]> =>
  (
    await f.pool.query<{ type: string }>('select type from outbox where subject = $1 order by seq', [subject])
  ).rows.map((row) => row.type);

async function createProduct(sku: string, amountMinor = 1999): Promise<string> {
  const res = await f.app.inject({
    method: 'POST',
    url: '/admin/products',
    headers: ADMIN,
    payload: {
      sku,
      name: `Event Product ${sku}`,
      description: 'Made by the events test.',
      category: 'audio',
      price: { amountMinor, currency: 'USD' },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

describe('product events', () => {
  it('creating a product publishes product.created.v1, which another group receives', async () => {
    const id = await createProduct('evt-created');
    assert.deepEqual(await outboxTypes(id), ['product.created.v1']);
    await eventually('the other service received it', () =>
      received.some((event) => event.type === 'product.created.v1' && event.subject === id),
    );
    const event = received.find((e) => e.type === 'product.created.v1' && e.subject === id);
    assert.equal(event?.data.sku, 'EVT-CREATED', 'SKUs are stored upper-case');
    assert.deepEqual(event?.data.price, { amountMinor: 1999, currency: 'USD' });
    await eventually('the relay marked it sent', async () => {
      const { rows } = await f.pool.query(
        'select count(*)::int as n from outbox where subject = $1 and sent_at is null',
        [id],
      );
      return rows[0].n === 0;
    });
  });

  it('a price change publishes updated and price_changed; the price-history projection applies it once', async () => {
    const id = await createProduct('evt-price', 1000);
    const res = await f.app.inject({
      method: 'PUT',
      url: `/admin/products/${id}/price`,
      headers: ADMIN,
      payload: { amountMinor: 1250, currency: 'USD' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await outboxTypes(id), [
      'product.created.v1',
      'product.updated.v1',
      'product.price_changed.v1',
    ]);

    await eventually('the price history shows the change', async () => {
      const history = await f.app.inject({ method: 'GET', url: `/products/${id}/price-history` });
      return history.statusCode === 200 && history.json().items.length === 1;
    });
    const history = (await f.app.inject({ method: 'GET', url: `/products/${id}/price-history` })).json();
    assert.deepEqual(history.items[0].oldPrice, { amountMinor: 1000, currency: 'USD' });
    assert.deepEqual(history.items[0].newPrice, { amountMinor: 1250, currency: 'USD' });
    const { rows } = await f.pool.query(
      `select count(*)::int as n from inbox where consumer_group = 'product.price-history' and event_id = $1`,
      [history.items[0].eventId],
    );
    assert.equal(rows[0].n, 1, 'recorded in the inbox in the handler transaction');
    await eventually('the other group saw updated then price_changed', () => {
      const types = received.filter((event) => event.subject === id).map((event) => event.type);
      return types.includes('product.updated.v1') && types.includes('product.price_changed.v1');
    });
    const updated = received.find((event) => event.subject === id && event.type === 'product.updated.v1');
    assert.deepEqual(updated?.data.changed, ['price']);
  });

  it('setting the same price again publishes nothing', async () => {
    const id = await createProduct('evt-same', 500);
    const res = await f.app.inject({
      method: 'PUT',
      url: `/admin/products/${id}/price`,
      headers: ADMIN,
      payload: { amountMinor: 500, currency: 'USD' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await outboxTypes(id), ['product.created.v1']);
  });

  it('a rejected write publishes nothing', async () => {
    const id = await createProduct('evt-rejected', 700);
    const bad = await f.app.inject({
      method: 'PUT',
      url: `/admin/products/${id}/price`,
      headers: ADMIN,
      payload: { amountMinor: -5, currency: 'USD' },
    });
    assertProblem(bad, 400);
    const duplicate = await f.app.inject({
      method: 'POST',
      url: '/admin/products',
      headers: ADMIN,
      payload: {
        sku: 'evt-rejected',
        name: 'Again',
        description: 'x',
        category: 'audio',
        price: { amountMinor: 1, currency: 'USD' },
      },
    });
    assert.ok(duplicate.statusCode >= 400 && duplicate.statusCode < 500, duplicate.body);
    assert.deepEqual(await outboxTypes(id), ['product.created.v1']);
    const { rows } = await f.pool.query(
      `select count(*)::int as n from outbox where body::jsonb->'data'->>'sku' = 'EVT-REJECTED'`,
    );
    assert.equal(rows[0].n, 1);
  });

  it('the projection does not exist for an unknown product: 404 problem', async () => {
    const res = await f.app.inject({
      method: 'GET',
      url: '/products/00000000-0000-4000-8000-000000000000/price-history',
    });
    assertProblem(res, 404);
    assertProblem(await f.app.inject({ method: 'GET', url: '/products/not-a-uuid/price-history' }), 400);
  });
});

describe('dead letters of the product service', () => {
  let letterId: string;

  before(async () => {
    // Bytes that are not an event, on the projection's own queue: dead-lettered at once.
    await other.sendToGroup('product.price-history', {
      id: 'junk-1',
      type: ProductPriceChangedV1.type,
      subject: 'junk',
      body: '{not json',
    });
    await eventually('the junk is dead-lettered', async () => {
      const res = await f.app.inject({ method: 'GET', url: '/admin/events/dead-letters', headers: ADMIN });
      const items = res.json().items ?? [];
      letterId = items[0]?.id;
      return items.length === 1;
    });
  });

  it('admin routes need the admin token; bad ids are 400 problems', async () => {
    assertProblem(await f.app.inject({ method: 'GET', url: '/admin/events/dead-letters' }), 401);
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/admin/events/dead-letters/abc', headers: ADMIN }),
      400,
    );
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/admin/events/dead-letters?limit=0', headers: ADMIN }),
      400,
    );
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/admin/events/dead-letters/999999', headers: ADMIN }),
      404,
    );
  });

  it('a dead letter is shown with its payload and error, and replayed once', async () => {
    const shown = await f.app.inject({
      method: 'GET',
      url: `/admin/events/dead-letters/${letterId}`,
      headers: ADMIN,
    });
    assert.equal(shown.statusCode, 200, shown.body);
    assert.equal(shown.json().consumerGroup, 'product.price-history');
    assert.equal(shown.json().payload, '{not json');
    assert.match(shown.json().error, /json|malformed/i);

    const replay = () =>
      f.app.inject({ method: 'POST', url: `/admin/events/dead-letters/${letterId}/replay`, headers: ADMIN });
    const first = await replay();
    assert.equal(first.statusCode, 202, first.body);
    assertProblem(await replay(), 409);
    // Still not an event: it comes back as a new dead letter; the service goes on.
    await eventually('the replayed junk is dead-lettered again', async () => {
      const res = await f.app.inject({ method: 'GET', url: '/admin/events/dead-letters', headers: ADMIN });
      return res.json().items.length === 1 && res.json().items[0].id !== letterId;
    });
    const ready = await f.app.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(ready.statusCode, 200, ready.body);
  });

  it('the admin command lists and shows them, and refuses bad usage', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const deps = {
      db: f.pool,
      transport: () => f.newTransport(),
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
    };
    assert.equal(await runDeadLetterCommand(['list'], deps), 0);
    assert.equal(out.length, 1);
    assert.equal(JSON.parse(out[0] as string).consumerGroup, 'product.price-history');
    assert.equal(await runDeadLetterCommand(['show', letterId], deps), 0);
    assert.equal(JSON.parse(out[1] as string).id, letterId);
    assert.equal(await runDeadLetterCommand(['show', '999999'], deps), 1);
    assert.equal(await runDeadLetterCommand(['frobnicate'], deps), 2);
    assert.ok(err.length >= 2);
  });
});
