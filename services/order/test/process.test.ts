// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process (config errors in one line, readiness, caller verification, graceful SIGTERM).
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
  it('migrates, twice without harm; has no seed', async () => {
    for (let i = 0; i < 2; i++) {
      const migrated = await run('admin.ts', ['migrate'], { DATABASE_URL: db.url }).exit;
      assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    }
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM orders`);
    assert.equal(rows[0].n, 0);
    assert.equal((await run('admin.ts', ['seed'], { DATABASE_URL: db.url }).exit).code, 2);
  });
});

describe('main.ts', () => {
  it('refuses a missing or bad setting in one line naming it (never showing the key)', async () => {
    const res = await run('main.ts', [], {
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
      PORT: String(await freePort()),
      PAYMENT_TIMEOUT_SECONDS: '0',
    }).exit;
    assert.equal(res.code, 1);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, /PAYMENT_TIMEOUT_SECONDS/);
    assert.match(res.stderr, /PROVIDER_SECRET_KEY is required/);
  });

  it('becomes ready, verifies callers, exits 0 on SIGTERM', async () => {
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
      PROVIDER_URL: 'http://127.0.0.1:9',
      PROVIDER_SECRET_KEY: 'sk_test_0123456789abcdef',
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
      const anonymous = await fetch(`${base}/orders`);
      assert.equal(anonymous.status, 401);
      const forged = await fetch(`${base}/admin/orders`, { headers: { 'x-user-roles': 'admin' } });
      assert.equal(forged.status, 401);
      const openapi = (await (await fetch(`${base}/openapi.json`)).json()) as {
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
      child.kill('SIGTERM');
      const done = await exit;
      assert.equal(done.code, 0, done.stderr);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
