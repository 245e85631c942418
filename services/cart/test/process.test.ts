// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process (config errors in one line, readiness, an anonymous cart made and read, forged identity
// refused, graceful SIGTERM), with carts in Postgres and with REDIS_URL in Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, runScript, type TestDatabase, testDatabase } from '@shopnow/testkit';
import { redisForTests } from './helpers.ts';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const run = (script: string, args: string[], env: Record<string, string>) =>
  runScript(`${SRC}${script}`, args, env);

let db: TestDatabase;
let bus: TestDatabase;
let redis: { url: string; stop(): Promise<void> };
before(async () => {
  db = await testDatabase();
  bus = await testDatabase();
  redis = await redisForTests();
});
after(async () => {
  await db?.drop();
  await bus?.drop();
  await redis?.stop();
});

describe('admin.ts', () => {
  it('migrates, twice without harm; has no seed', async () => {
    for (let i = 0; i < 2; i++) {
      const migrated = await run('admin.ts', ['migrate'], { DATABASE_URL: db.url }).exit;
      assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    }
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM carts');
    assert.equal(rows[0].n, 0);
    const seed = await run('admin.ts', ['seed'], { DATABASE_URL: db.url }).exit;
    assert.equal(seed.code, 2);
  });
});

describe('main.ts', () => {
  before(async () => {
    // A fresh database for the process runs, so MIGRATE_ON_START has work to do.
    await db.drop();
    db = await testDatabase();
  });

  it('refuses bad settings in one line naming them', async () => {
    const res = await run('main.ts', [], {
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
      PORT: String(await freePort()),
      CART_IDLE_DAYS: '0',
      REDIS_URL: 'not a url',
    }).exit;
    assert.equal(res.code, 1);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, /CART_IDLE_DAYS/);
    assert.match(res.stderr, /REDIS_URL/);
  });

  for (const store of ['postgres', 'redis'] as const) {
    it(`serves carts kept in ${store} when ready, refuses forged identity, exits 0 on SIGTERM`, async () => {
      // The Postgres run migrates at start (MIGRATE_ON_START), the Redis run finds the schema made.
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const { child, exit } = run('main.ts', [], {
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: db.url,
        BUS_DATABASE_URL: bus.url,
        LOG_LEVEL: 'warn',
        SERVICE_URLS: 'product=http://127.0.0.1:9',
        ...(store === 'redis' ? { REDIS_URL: redis.url } : { MIGRATE_ON_START: 'true' }),
      });
      try {
        let ready = false;
        for (let i = 0; i < 150 && !ready; i++) {
          ready = await fetch(`${base}/health/ready`).then(
            (r) => r.ok,
            () => false,
          );
          if (!ready) await sleep(100);
        }
        assert.ok(ready, 'became ready');
        const created = await fetch(`${base}/carts`, { method: 'POST' });
        assert.equal(created.status, 201);
        const { cartId, cartToken } = (await created.json()) as { cartId: string; cartToken: string };
        const cart = await fetch(`${base}/carts/me`, { headers: { 'x-cart-token': cartToken } });
        assert.equal(cart.status, 200);
        assert.equal(((await cart.json()) as { id: string }).id, cartId);
        const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM carts WHERE id = $1', [cartId]);
        assert.equal(rows[0].n, store === 'postgres' ? 1 : 0, `the cart is kept in ${store}`);
        const forged = await fetch(`${base}/carts/me`, { headers: { 'x-user-id': cartId } });
        assert.equal(forged.status, 401);
        child.kill('SIGTERM');
        const done = await exit;
        assert.equal(done.code, 0, done.stderr);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  }
});
