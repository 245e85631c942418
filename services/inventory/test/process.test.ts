// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process (config errors in one line, readiness, the public read, caller verification on the
// admin routes, graceful SIGTERM).
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
  it('migrates, twice without harm; has no seed (stock follows the catalog)', async () => {
    await service.migrate(dbs.env);
    await service.migrate(dbs.env);
    const { rows } = await dbs.db.pool.query(`SELECT count(*)::int AS n FROM stock`);
    assert.equal(rows[0].n, 0);
    const seed = await service.run('admin.ts', ['seed'], { DATABASE_URL: dbs.db.url }).exit;
    assert.equal(seed.code, 2);
  });
});

describe('main.ts', () => {
  it('refuses a bad setting in one line naming it', async () => {
    await service.refusesToStart(
      { ...dbs.env, PORT: String(await freePort()), RESERVATION_TTL_SECONDS: '0' },
      /RESERVATION_TTL_SECONDS/,
    );
  });

  it('serves availability when ready, verifies admin callers, exits 0 on SIGTERM', async () => {
    await service.migrate(dbs.env);
    await dbs.db.pool.query(
      `INSERT INTO stock (sku, product_id, available) VALUES ('PROC-1', gen_random_uuid(), 0)`,
    );
    const main = await service.start({ ...dbs.env, LOG_LEVEL: 'warn', RESERVATION_SWEEP_INTERVAL_MS: '200' });
    try {
      const res = await fetch(`${main.url}/inventory/availability?sku=PROC-1&sku=NOPE-1`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), {
        items: [{ sku: 'PROC-1', available: 0, purchasable: false }],
        unknown: ['NOPE-1'],
      });
      const forged = await fetch(`${main.url}/inventory/stock`, { headers: { 'x-user-roles': 'admin' } });
      assert.equal(forged.status, 401);
      const done = await main.stop();
      assert.equal(done.code, 0, done.stderr);
    } finally {
      main.kill();
    }
  });
});
