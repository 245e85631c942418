// The service as operators run it: `admin.ts migrate|seed` as one-off commands, and main.ts
// as a process (config errors, readiness, serving, caller verification, graceful SIGTERM).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, runScript, type TestDatabase, testDatabase } from '@shopnow/testkit';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

const run = (script: string, args: string[], env: Record<string, string>) =>
  runScript(`${SRC}${script}`, args, env);

let db: TestDatabase;
let bus: TestDatabase;
before(async () => {
  db = await testDatabase();
  bus = await testDatabase();
});
after(async () => {
  await db?.drop();
  await bus?.drop();
});

const count = async (table: string) =>
  (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

describe('admin.ts', () => {
  it('migrate, then seed on first start only', async () => {
    const migrated = await run('admin.ts', ['migrate'], { DATABASE_URL: db.url }).exit;
    assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    assert.equal(await count('products'), 0);

    const seeded = await run('admin.ts', ['seed'], { DATABASE_URL: db.url }).exit;
    assert.equal(seeded.code, 0, seeded.stderr + seeded.stdout);
    const products = await count('products');
    const reviews = await count('reviews');
    assert.ok(products >= 60);
    assert.ok((await count('categories')) >= 6);
    assert.ok(reviews > 0);
    // Every seeded product is announced through the outbox (inventory stocks it on the event).
    const announced = await db.pool.query<{ n: number }>(
      `SELECT count(DISTINCT subject)::int AS n FROM outbox WHERE type = 'product.created.v1'`,
    );
    assert.equal(announced.rows[0]?.n, products);

    const again = await run('admin.ts', ['seed'], { DATABASE_URL: db.url }).exit;
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
    const res = await run('main.ts', [], {
      DATABASE_URL: db.url,
      PORT: String(await freePort()),
    }).exit;
    assert.equal(res.code, 1);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, /BUS_DATABASE_URL is required when EVENTS_TRANSPORT=postgres/);
  });

  it('serves the catalog when ready and exits 0 on SIGTERM', async () => {
    const seeded = await run('admin.ts', ['seed'], { DATABASE_URL: db.url }).exit;
    assert.equal(seeded.code, 0, seeded.stderr);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child, exit } = run('main.ts', [], {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
      LOG_LEVEL: 'warn',
    });
    try {
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        ready = await fetch(`${base}/health/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (!ready) await sleep(100);
      }
      assert.ok(ready, 'became ready');
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
      child.kill('SIGTERM');
      const res = await exit;
      assert.equal(res.code, 0, res.stderr);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
