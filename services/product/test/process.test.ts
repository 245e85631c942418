// The service as operators run it: `admin.ts migrate|seed` as one-off commands, and main.ts
// as a process (config errors, readiness, serving, caller verification, graceful SIGTERM).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, type ServiceDatabases, serviceDatabases, serviceScripts } from '@shopnow/testkit';

const service = serviceScripts(new URL('../src/', import.meta.url));
const run = service.run;
let dbs: ServiceDatabases;
before(async () => {
  dbs = await serviceDatabases();
});
after(() => dbs?.drop());

const count = async (table: string) =>
  (await dbs.db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

describe('admin.ts', () => {
  it('migrate, then seed on first start only', async () => {
    await service.migrate(dbs.env);
    assert.equal(await count('products'), 0);

    const seeded = await run('admin.ts', ['seed'], dbs.env).exit;
    assert.equal(seeded.code, 0, seeded.stderr + seeded.stdout);
    const products = await count('products');
    const reviews = await count('reviews');
    assert.ok(products >= 60);
    assert.ok((await count('categories')) >= 6);
    assert.ok(reviews > 0);
    // Every seeded product is announced through the outbox (inventory stocks it on the event).
    const announced = await dbs.db.pool.query<{ n: number }>(
      `SELECT count(DISTINCT subject)::int AS n FROM outbox WHERE type = 'product.created.v1'`,
    );
    assert.equal(announced.rows[0]?.n, products);

    const again = await run('admin.ts', ['seed'], dbs.env).exit;
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await count('products'), products, 'a second seed changes nothing');
    assert.equal(await count('reviews'), reviews);
    assert.equal(await count('outbox'), products, 'nor announces anything twice');
  });

  it('without DATABASE_URL exits 1 with one line', async () => {
    const res = await run('admin.ts', ['migrate'], {}).exit;
    assert.equal(res.code, 1);
    assert.match(res.stderr, /DATABASE_URL/);
  });
});

describe('main.ts', () => {
  it('refuses to start without the bus its event transport needs, naming it in one line', async () => {
    await service.refusesToStart(
      { DATABASE_URL: dbs.db.url, PORT: String(await freePort()) },
      /BUS_DATABASE_URL is required when EVENTS_TRANSPORT=postgres/,
    );
  });

  it('serves the catalog when ready and exits 0 on SIGTERM', async () => {
    const seeded = await run('admin.ts', ['seed'], dbs.env).exit;
    assert.equal(seeded.code, 0, seeded.stderr);
    const main = await service.start({ ...dbs.env, LOG_LEVEL: 'warn' });
    const base = main.url;
    try {
      const page = (await (await fetch(`${base}/products?limit=3`)).json()) as { items: unknown[] };
      assert.equal(page.items.length, 3);
      const search = (await (await fetch(`${base}/products/search?q=wireles%20hedphones`)).json()) as {
        items: Array<{ name: string }>;
      };
      assert.match(search.items[0]?.name ?? '', /Headphones/);
      // The process verifies callers itself: a forged identity header is no identity.
      const productId = (page.items[0] as { id: string }).id;
      const forged = await fetch(`${base}/products/${productId}/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': productId },
        body: JSON.stringify({ rating: 1 }),
      });
      assert.equal(forged.status, 401);
      const admin = await fetch(`${base}/admin/products/${productId}`, {
        headers: { 'x-user-roles': 'admin' },
      });
      assert.equal(admin.status, 401);
      const res = await main.stop();
      assert.equal(res.code, 0, res.stderr);
    } finally {
      main.kill();
    }
  });
});
