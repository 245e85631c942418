// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process (config errors in one line, readiness, an event on the bus emailed to a real SMTP server
// and readable in the developer mailbox, forged identity refused, graceful SIGTERM).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthPasswordResetRequestedV1, AuthUserRegisteredV1 } from '@shopnow/contracts';
import { createPostgresTransport } from '@shopnow/events';
import { freePort, type ServiceDatabases, serviceDatabases, serviceScripts } from '@shopnow/testkit';
import { eventually, publishOnBus, registered } from './helpers.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';

const service = serviceScripts(new URL('../src/', import.meta.url));
let dbs: ServiceDatabases;
let smtp: TestSmtp;
before(async () => {
  dbs = await serviceDatabases();
  smtp = await startSmtp();
});
after(async () => {
  await smtp?.stop();
  await dbs?.drop();
});

describe('admin.ts', () => {
  it('migrates, twice without harm; has no seed', async () => {
    await service.migrate(dbs.env);
    await service.migrate(dbs.env);
    const { rows } = await dbs.db.pool.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('recipients', 'messages', 'inbox_items', 'order_owners')`,
    );
    assert.equal(rows[0].n, 4);
    assert.equal((await service.run('admin.ts', ['seed'], { DATABASE_URL: dbs.db.url }).exit).code, 2);
  });
});

describe('main.ts', () => {
  it('refuses bad settings in one line naming them', async () => {
    await service.refusesToStart(
      { ...dbs.env, PORT: String(await freePort()), SMTP_URL: 'http://mail', SMTP_MAX_PER_SECOND: '-1' },
      /SMTP_URL/,
      /SMTP_MAX_PER_SECOND/,
    );
  });

  it('emails a reset link from the bus over SMTP, shows it in the mailbox, refuses forged callers, exits 0 on SIGTERM', async () => {
    const main = await service.start({
      ...dbs.env,
      MIGRATE_ON_START: 'true',
      LOG_LEVEL: 'info',
      SMTP_URL: smtp.url,
      DEV_MAILBOX: 'true',
      WEB_BASE_URL: 'https://shop.example',
      NOTIFICATION_POLL_INTERVAL_MS: '50',
      // Nothing answers for profile or token here: preferences fall back to the defaults.
      SERVICE_URLS: 'profile=http://127.0.0.1:9,token=http://127.0.0.1:9',
      DISCOVERY: 'static',
    });
    const { url: base, output } = main;
    const transport = createPostgresTransport({ connectionString: dbs.bus.url });
    try {
      await transport.start();
      const user = registered();
      await publishOnBus(transport, AuthUserRegisteredV1, {
        source: 'auth',
        subject: user.userId,
        data: user,
      });
      const token = 'R3set_'.repeat(8);
      await publishOnBus(transport, AuthPasswordResetRequestedV1, {
        source: 'auth',
        subject: user.userId,
        data: {
          userId: user.userId,
          email: user.email,
          token,
          expiresAt: new Date(Date.now() + 1_800_000).toISOString(),
        },
      });
      await eventually(
        `the SMTP server has the email\n${output()}`,
        async () => smtp.to(user.email).length === 1,
      );
      assert.ok(
        smtp.to(user.email)[0]?.content.includes(`https://shop.example/reset-password?token=${token}`),
      );
      const list = (await (
        await fetch(`${base}/dev/mailbox?to=${encodeURIComponent(user.email)}`)
      ).json()) as {
        items: Array<{ status: string; subject: string }>;
      };
      assert.deepEqual(
        list.items.map((m) => [m.status, m.subject]),
        [['sent', 'Reset your ShopNow password']],
      );
      const forged = await fetch(`${base}/inbox`, { headers: { 'x-user-id': user.userId } });
      assert.equal(forged.status, 401);
      const done = await main.stop();
      assert.equal(done.code, 0, done.stderr);
    } finally {
      await transport.close();
      main.kill();
    }
  });
});
