// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process (config errors in one line, readiness, an anonymous cart made and read, forged identity
// refused, graceful SIGTERM), with carts in Postgres and with REDIS_URL in Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, type ServiceDatabases, serviceDatabases, serviceScripts } from '@shopnow/testkit';
import { redisForTests } from './helpers.ts';

const service = serviceScripts(new URL('../src/', import.meta.url));
let dbs: ServiceDatabases;
let redis: { url: string; stop(): Promise<void> };
before(async () => {
  dbs = await serviceDatabases();
  redis = await redisForTests();
});
after(async () => {
  await dbs?.drop();
  await redis?.stop();
});

describe('admin.ts', () => {
  it('migrates, twice without harm; has no seed', async () => {
    await service.migrate(dbs.env);
    await service.migrate(dbs.env);
    const { rows } = await dbs.db.pool.query('SELECT count(*)::int AS n FROM carts');
    assert.equal(rows[0].n, 0);
    const seed = await service.run('admin.ts', ['seed'], { DATABASE_URL: dbs.db.url }).exit;
    assert.equal(seed.code, 2);
  });
});

describe('main.ts', () => {
  // A fresh database for the process runs, so MIGRATE_ON_START has work to do.
  before(() => dbs.renewDb());

  it('refuses bad settings in one line naming them', async () => {
    await service.refusesToStart(
      { ...dbs.env, PORT: String(await freePort()), CART_IDLE_DAYS: '0', REDIS_URL: 'not a url' },
      /CART_IDLE_DAYS/,
      /REDIS_URL/,
    );
  });

  for (const store of ['postgres', 'redis'] as const) {
    it(`serves carts kept in ${store} when ready, refuses forged identity, exits 0 on SIGTERM`, async () => {
      // The Postgres run migrates at start (MIGRATE_ON_START), the Redis run finds the schema made.
      const main = await service.start({
        ...dbs.env,
        LOG_LEVEL: 'warn',
        SERVICE_URLS: 'product=http://127.0.0.1:9',
        ...(store === 'redis' ? { REDIS_URL: redis.url } : { MIGRATE_ON_START: 'true' }),
      });
      try {
        const created = await fetch(`${main.url}/carts`, { method: 'POST' });
        assert.equal(created.status, 201);
        const { cartId, cartToken } = (await created.json()) as { cartId: string; cartToken: string };
        const cart = await fetch(`${main.url}/carts/me`, { headers: { 'x-cart-token': cartToken } });
        assert.equal(cart.status, 200);
        assert.equal(((await cart.json()) as { id: string }).id, cartId);
        const { rows } = await dbs.db.pool.query('SELECT count(*)::int AS n FROM carts WHERE id = $1', [
          cartId,
        ]);
        assert.equal(rows[0].n, store === 'postgres' ? 1 : 0, `the cart is kept in ${store}`);
        const forged = await fetch(`${main.url}/carts/me`, { headers: { 'x-user-id': cartId } });
        assert.equal(forged.status, 401);
        const done = await main.stop();
        assert.equal(done.code, 0, done.stderr);
      } finally {
        main.kill();
      }
    });
  }
});
