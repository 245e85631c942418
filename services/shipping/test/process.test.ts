// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process (config errors in one line, readiness, the public tracking read, caller verification on
// the admin routes, graceful SIGTERM).
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

describe('admin.ts', () => {
  it('migrates, twice without harm; has no seed (shipments follow the orders)', async () => {
    for (let i = 0; i < 2; i++) {
      const migrated = await run('admin.ts', ['migrate'], { DATABASE_URL: db.url }).exit;
      assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    }
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM shipments');
    assert.equal(rows[0].n, 0);
    const seed = await run('admin.ts', ['seed'], { DATABASE_URL: db.url }).exit;
    assert.equal(seed.code, 2);
  });
});

describe('main.ts', () => {
  it('refuses a bad setting in one line naming it', async () => {
    for (const [name, value] of [
      ['CARRIER_STEP_SECONDS', '-1'],
      ['SHIP_FROM_COUNTRY', 'Netherlands'],
    ] as const) {
      const res = await run('main.ts', [], {
        DATABASE_URL: db.url,
        BUS_DATABASE_URL: bus.url,
        PORT: String(await freePort()),
        [name]: value,
      }).exit;
      assert.equal(res.code, 1);
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
      assert.match(res.stderr, new RegExp(name));
    }
  });

  it('serves tracking when ready, verifies admin callers, exits 0 on SIGTERM', async () => {
    const migrated = await run('admin.ts', ['migrate'], { DATABASE_URL: db.url }).exit;
    assert.equal(migrated.code, 0, migrated.stderr);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child, exit } = run('main.ts', [], {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
      LOG_LEVEL: 'warn',
      CARRIER_STEP_SECONDS: '0.5',
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
      const res = await fetch(`${base}/tracking/SN00000000000000`);
      assert.equal(res.status, 404);
      assert.match(String(res.headers.get('content-type')), /problem\+json/);
      const forged = await fetch(`${base}/admin/shipments`, { headers: { 'x-user-roles': 'admin' } });
      assert.equal(forged.status, 401);
      child.kill('SIGTERM');
      const done = await exit;
      assert.equal(done.code, 0, done.stderr);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
