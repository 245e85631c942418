// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process (config errors in one line, readiness, the public tracking read, caller verification on
// the admin routes, graceful SIGTERM).
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
  it('migrates, twice without harm; has no seed (shipments follow the orders)', async () => {
    await service.migrate(dbs.env);
    await service.migrate(dbs.env);
    const { rows } = await dbs.db.pool.query('SELECT count(*)::int AS n FROM shipments');
    assert.equal(rows[0].n, 0);
    const seed = await service.run('admin.ts', ['seed'], { DATABASE_URL: dbs.db.url }).exit;
    assert.equal(seed.code, 2);
  });
});

describe('main.ts', () => {
  it('refuses a bad setting in one line naming it', async () => {
    for (const [name, value] of [
      ['CARRIER_STEP_SECONDS', '-1'],
      ['SHIP_FROM_COUNTRY', 'Netherlands'],
    ] as const) {
      await service.refusesToStart(
        { ...dbs.env, PORT: String(await freePort()), [name]: value },
        new RegExp(name),
      );
    }
  });

  it('serves tracking when ready, verifies admin callers, exits 0 on SIGTERM', async () => {
    await service.migrate(dbs.env);
    const main = await service.start({ ...dbs.env, LOG_LEVEL: 'warn', CARRIER_STEP_SECONDS: '0.5' });
    try {
      const res = await fetch(`${main.url}/tracking/SN00000000000000`);
      assert.equal(res.status, 404);
      assert.match(String(res.headers.get('content-type')), /problem\+json/);
      const forged = await fetch(`${main.url}/admin/shipments`, { headers: { 'x-user-roles': 'admin' } });
      assert.equal(forged.status, 401);
      const done = await main.stop();
      assert.equal(done.code, 0, done.stderr);
    } finally {
      main.kill();
    }
  });
});
