// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process (config errors in one line, readiness, caller verification, graceful SIGTERM).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, type ServiceDatabases, serviceDatabases, serviceScripts } from '@shopnow/testkit';

const service = serviceScripts(new URL('../src/', import.meta.url));
let dbs: ServiceDatabases;
before(async () => {
  dbs = await serviceDatabases();
});
after(() => dbs?.drop());

describe('admin.ts', () => {
  it('migrates, twice without harm; has no seed', async () => {
    await service.migrate(dbs.env);
    await service.migrate(dbs.env);
    const { rows } = await dbs.db.pool.query(`SELECT count(*)::int AS n FROM orders`);
    assert.equal(rows[0].n, 0);
    assert.equal((await service.run('admin.ts', ['seed'], { DATABASE_URL: dbs.db.url }).exit).code, 2);
  });
});

describe('main.ts', () => {
  it('refuses a missing or bad setting in one line naming it (never showing the key)', async () => {
    await service.refusesToStart(
      { ...dbs.env, PORT: String(await freePort()), PAYMENT_TIMEOUT_SECONDS: '0' },
      /PAYMENT_TIMEOUT_SECONDS/,
      /PROVIDER_SECRET_KEY is required/,
    );
  });

  it('becomes ready, verifies callers, exits 0 on SIGTERM', async () => {
    await service.migrate(dbs.env);
    const main = await service.start({
      ...dbs.env,
      LOG_LEVEL: 'warn',
      PROVIDER_URL: 'http://127.0.0.1:9',
      PROVIDER_SECRET_KEY: 'sk_test_0123456789abcdef',
    });
    try {
      const anonymous = await fetch(`${main.url}/orders`);
      assert.equal(anonymous.status, 401);
      const forged = await fetch(`${main.url}/admin/orders`, { headers: { 'x-user-roles': 'admin' } });
      assert.equal(forged.status, 401);
      const openapi = (await (await fetch(`${main.url}/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
      };
      for (const path of [
        '/orders',
        '/orders/{id}',
        '/orders/{id}/events',
        '/orders/{id}/cancel',
        '/admin/orders',
      ]) {
        assert.ok(openapi.paths[path], `${path} documented`);
      }
      const done = await main.stop();
      assert.equal(done.code, 0, done.stderr);
    } finally {
      main.kill();
    }
  });
});
