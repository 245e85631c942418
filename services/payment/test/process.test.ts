// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process beside the processor's (config errors in one line that never shows the key, readiness,
// a payment requested on the bus charged at the processor, caller verification, graceful SIGTERM).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OrderPaymentRequestedV1 } from '@shopnow/contracts';
import { createPostgresTransport } from '@shopnow/events';
import { freePort, runScript, type TestDatabase, testDatabase } from '@shopnow/testkit';
import {
  CARDS,
  eventually,
  type ProviderProcess,
  paymentRequested,
  publishOnBus,
  SECRET,
  startProviderProcess,
} from './helpers.ts';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const run = (script: string, args: string[], env: Record<string, string>) =>
  runScript(`${SRC}${script}`, args, env);

let db: TestDatabase;
let bus: TestDatabase;
let provider: ProviderProcess;
before(async () => {
  db = await testDatabase();
  bus = await testDatabase();
  provider = await startProviderProcess();
});
after(async () => {
  await provider?.close();
  await db?.drop();
  await bus?.drop();
});

describe('admin.ts', () => {
  it('migrates, twice without harm; has no seed', async () => {
    for (let i = 0; i < 2; i++) {
      const migrated = await run('admin.ts', ['migrate'], { DATABASE_URL: db.url }).exit;
      assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    }
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('payments', 'payment_attempts', 'cancelled_orders')`,
    );
    assert.equal(rows[0].n, 3);
    assert.equal((await run('admin.ts', ['seed'], { DATABASE_URL: db.url }).exit).code, 2);
  });
});

describe('main.ts', () => {
  it('refuses a bad setting in one line naming it, never showing the key', async () => {
    const env = { DATABASE_URL: db.url, BUS_DATABASE_URL: bus.url, PORT: String(await freePort()) };
    const missing = await run('main.ts', [], env).exit;
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    assert.match(missing.stderr, /PROVIDER_SECRET_KEY/);
    const bad = await run('main.ts', [], { ...env, PROVIDER_SECRET_KEY: 'sk short', PROVIDER_URL: 'ftp://x' })
      .exit;
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /PROVIDER_SECRET_KEY.*PROVIDER_URL|PROVIDER_URL.*PROVIDER_SECRET_KEY/);
    assert.ok(!bad.stderr.includes('sk short'), bad.stderr);
  });

  it('charges a requested payment at the processor, verifies admin callers, exits 0 on SIGTERM', async () => {
    const migrated = await run('admin.ts', ['migrate'], { DATABASE_URL: db.url }).exit;
    assert.equal(migrated.code, 0, migrated.stderr);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child, exit, output } = run('main.ts', [], {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
      LOG_LEVEL: 'info',
      PROVIDER_URL: provider.url,
      PROVIDER_SECRET_KEY: SECRET,
      PAYMENT_POLL_INTERVAL_MS: '50',
    });
    const transport = createPostgresTransport({ connectionString: bus.url });
    try {
      await eventually(`ready\n${output()}`, () =>
        fetch(`${base}/health/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      );
      await transport.start();
      const userId = randomUUID();
      const data = paymentRequested(await provider.tokenize(CARDS.succeeds, userId), userId, 1500);
      await publishOnBus(transport, OrderPaymentRequestedV1, data.orderId, data);
      await eventually(
        'the processor holds the charge',
        async () => (await provider.charges(data.orderId)).length === 1,
      );
      await eventually('the payment is captured', async () => {
        const { rows } = await db.pool.query('SELECT status FROM payments WHERE order_id = $1', [
          data.orderId,
        ]);
        return rows[0]?.status === 'captured';
      });
      const forged = await fetch(`${base}/payments`, { headers: { 'x-user-roles': 'admin' } });
      assert.equal(forged.status, 401);
      child.kill('SIGTERM');
      const done = await exit;
      assert.equal(done.code, 0, done.stderr);
      assert.ok(!done.stdout.includes(SECRET), 'the key is never logged');
    } finally {
      await transport.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
