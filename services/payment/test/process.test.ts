// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process beside the processor's (config errors in one line that never shows the key, readiness,
// a payment requested on the bus charged at the processor, caller verification, graceful SIGTERM).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OrderPaymentRequestedV1 } from '@shopnow/contracts';
import { createPostgresTransport } from '@shopnow/events';
import { freePort, type ServiceDatabases, serviceDatabases, serviceScripts } from '@shopnow/testkit';
import {
  CARDS,
  eventually,
  type ProviderProcess,
  paymentRequested,
  publishOnBus,
  SECRET,
  startProviderProcess,
} from './helpers.ts';

const service = serviceScripts(new URL('../src/', import.meta.url));
let dbs: ServiceDatabases;
let provider: ProviderProcess;
before(async () => {
  dbs = await serviceDatabases();
  provider = await startProviderProcess();
});
after(async () => {
  await provider?.close();
  await dbs?.drop();
});

describe('admin.ts', () => {
  it('migrates, twice without harm; has no seed', async () => {
    await service.migrate(dbs.env);
    await service.migrate(dbs.env);
    const { rows } = await dbs.db.pool.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('payments', 'payment_attempts', 'cancelled_orders')`,
    );
    assert.equal(rows[0].n, 3);
    assert.equal((await service.run('admin.ts', ['seed'], { DATABASE_URL: dbs.db.url }).exit).code, 2);
  });
});

describe('main.ts', () => {
  it('refuses a bad setting in one line naming it, never showing the key', async () => {
    const env = { ...dbs.env, PORT: String(await freePort()) };
    await service.refusesToStart(env, /PROVIDER_SECRET_KEY/);
    const bad = await service.refusesToStart(
      { ...env, PROVIDER_SECRET_KEY: 'sk short', PROVIDER_URL: 'ftp://x' },
      /PROVIDER_SECRET_KEY.*PROVIDER_URL|PROVIDER_URL.*PROVIDER_SECRET_KEY/,
    );
    assert.ok(!bad.stderr.includes('sk short'), bad.stderr);
  });

  it('charges a requested payment at the processor, verifies admin callers, exits 0 on SIGTERM', async () => {
    await service.migrate(dbs.env);
    const main = await service.start({
      ...dbs.env,
      LOG_LEVEL: 'info',
      PROVIDER_URL: provider.url,
      PROVIDER_SECRET_KEY: SECRET,
      PAYMENT_POLL_INTERVAL_MS: '50',
    });
    const transport = createPostgresTransport({ connectionString: dbs.bus.url });
    try {
      await transport.start();
      const userId = randomUUID();
      const data = paymentRequested(await provider.tokenize(CARDS.succeeds, userId), userId, 1500);
      await publishOnBus(transport, OrderPaymentRequestedV1, data.orderId, data);
      await eventually(
        'the processor holds the charge',
        async () => (await provider.charges(data.orderId)).length === 1,
      );
      await eventually('the payment is captured', async () => {
        const { rows } = await dbs.db.pool.query('SELECT status FROM payments WHERE order_id = $1', [
          data.orderId,
        ]);
        return rows[0]?.status === 'captured';
      });
      const forged = await fetch(`${main.url}/payments`, { headers: { 'x-user-roles': 'admin' } });
      assert.equal(forged.status, 401);
      const done = await main.stop();
      assert.equal(done.code, 0, done.stderr);
      assert.ok(!done.stdout.includes(SECRET), 'the key is never logged');
    } finally {
      await transport.close();
      main.kill();
    }
  });
});
