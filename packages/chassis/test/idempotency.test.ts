import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import { migrate } from '../src/db/migrate.ts';
import { AppError } from '../src/errors.ts';
import { purgeIdempotencyKeys, requestFingerprint, withIdempotency } from '../src/idempotency.ts';

let db: TestDatabase;
before(async () => {
  db = await testDatabase();
  await migrate(db.pool, { service: 'shop', dir: '/nonexistent' });
  await db.pool.query('create table orders (id serial primary key, item text not null)');
});
after(() => db.drop());

let keys = 0;
function key(fingerprint = 'fp-1') {
  return { scope: 'orders.create', key: `key-${++keys}`, fingerprint };
}

async function createOrder(
  client: { query: (sql: string, params: unknown[]) => Promise<{ rows: { id: number }[] }> },
  item: string,
) {
  const { rows } = await client.query('insert into orders (item) values ($1) returning id', [item]);
  return { status: 201, body: { id: rows[0]?.id, item } };
}

async function orderCount(item: string): Promise<number> {
  const { rows } = await db.pool.query('select count(*)::int as n from orders where item = $1', [item]);
  return rows[0].n;
}

test('a repeated key returns the first response without running the write again', async () => {
  const k = key();
  const first = await withIdempotency(db.pool, k, (client) => createOrder(client, 'lamp'));
  let ranAgain = false;
  const second = await withIdempotency(db.pool, k, async (client) => {
    ranAgain = true;
    return createOrder(client, 'lamp');
  });
  assert.equal(first.replayed, false);
  assert.deepEqual(second, { ...first, replayed: true });
  assert.equal(ranAgain, false);
  assert.equal(await orderCount('lamp'), 1);
});

test('the same key with a different request is refused with idempotency_key_mismatch (422)', async () => {
  const k = key('fp-a');
  await withIdempotency(db.pool, k, (client) => createOrder(client, 'desk'));
  await assert.rejects(
    withIdempotency(db.pool, { ...k, fingerprint: 'fp-b' }, (client) => createOrder(client, 'chair')),
    (err: unknown) =>
      err instanceof AppError && err.code === 'idempotency_key_mismatch' && err.status === 422,
  );
  assert.equal(await orderCount('chair'), 0);
});

test('a second request while the first is in flight gets idempotency_in_progress (409) at once', async () => {
  const k = key();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const first = withIdempotency(db.pool, k, async (client) => {
    entered();
    await gate;
    return createOrder(client, 'sofa');
  });
  await inside;
  const started = Date.now();
  await assert.rejects(
    withIdempotency(db.pool, k, (client) => createOrder(client, 'sofa')),
    (err: unknown) => err instanceof AppError && err.code === 'idempotency_in_progress' && err.status === 409,
  );
  assert.ok(Date.now() - started < 1000, 'the second request waited for the first');
  release();
  assert.equal((await first).status, 201);
  assert.equal(await orderCount('sofa'), 1);
});

test('a failed write stores nothing, so the client can retry with the same key', async () => {
  const k = key();
  await assert.rejects(
    withIdempotency(db.pool, k, async (client) => {
      await createOrder(client, 'vase');
      throw new Error('payment declined');
    }),
    /payment declined/,
  );
  assert.equal(await orderCount('vase'), 0, 'the write was not rolled back');
  const retry = await withIdempotency(db.pool, k, (client) => createOrder(client, 'vase'));
  assert.equal(retry.replayed, false);
  assert.equal(await orderCount('vase'), 1);
});

// Regression: pg serialises a top-level JS array as a Postgres array literal, not JSON.
test('array and null bodies are stored and replayed as JSON', async () => {
  for (const body of [[{ id: 1 }, { id: 2 }], null]) {
    const k = key();
    await withIdempotency(db.pool, k, async () => ({ status: 200, body }));
    const replay = await withIdempotency(db.pool, k, async () => ({ status: 500, body: 'not replayed' }));
    assert.deepEqual(replay, { status: 200, body, replayed: true });
  }
});

test('requestFingerprint ignores object key order but not values', () => {
  const a = requestFingerprint('POST', '/orders', { item: 'lamp', qty: 1, meta: { x: 1, y: 2 } });
  const b = requestFingerprint('POST', '/orders', { meta: { y: 2, x: 1 }, qty: 1, item: 'lamp' });
  const c = requestFingerprint('POST', '/orders', { item: 'lamp', qty: 2, meta: { x: 1, y: 2 } });
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test('purgeIdempotencyKeys removes keys older than the window', async () => {
  const k = key();
  await withIdempotency(db.pool, k, async () => ({ status: 204, body: null }));
  await db.pool.query("update idempotency_keys set created_at = now() - interval '2 days' where key = $1", [
    k.key,
  ]);
  assert.ok((await purgeIdempotencyKeys(db.pool, 24 * 3600 * 1000)) >= 1);
  const { rowCount } = await db.pool.query('select 1 from idempotency_keys where key = $1', [k.key]);
  assert.equal(rowCount, 0);
});
