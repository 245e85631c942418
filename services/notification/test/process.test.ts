// The service as operators run it: `admin.ts migrate` as a one-off command, and main.ts as a
// process (config errors in one line, readiness, an event on the bus emailed to a real SMTP server
// and readable in the developer mailbox, forged identity refused, graceful SIGTERM).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AuthPasswordResetRequestedV1, AuthUserRegisteredV1 } from '@shopnow/contracts';
import { createPostgresTransport } from '@shopnow/events';
import { freePort, runScript, type TestDatabase, testDatabase } from '@shopnow/testkit';
import { eventually, publishOnBus, registered } from './helpers.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const run = (script: string, args: string[], env: Record<string, string>) =>
  runScript(`${SRC}${script}`, args, env);

let db: TestDatabase;
let bus: TestDatabase;
let smtp: TestSmtp;
before(async () => {
  db = await testDatabase();
  bus = await testDatabase();
  smtp = await startSmtp();
});
after(async () => {
  await smtp?.stop();
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
      `SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('recipients', 'messages', 'inbox_items', 'order_owners')`,
    );
    assert.equal(rows[0].n, 4);
    assert.equal((await run('admin.ts', ['seed'], { DATABASE_URL: db.url }).exit).code, 2);
  });
});

describe('main.ts', () => {
  it('refuses bad settings in one line naming them', async () => {
    const env = { DATABASE_URL: db.url, BUS_DATABASE_URL: bus.url, PORT: String(await freePort()) };
    const bad = await run('main.ts', [], { ...env, SMTP_URL: 'http://mail', SMTP_MAX_PER_SECOND: '-1' }).exit;
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    assert.match(bad.stderr, /SMTP_URL/);
    assert.match(bad.stderr, /SMTP_MAX_PER_SECOND/);
  });

  it('emails a reset link from the bus over SMTP, shows it in the mailbox, refuses forged callers, exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child, exit, output } = run('main.ts', [], {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
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
    const transport = createPostgresTransport({ connectionString: bus.url });
    try {
      await eventually(`ready\n${output()}`, () =>
        fetch(`${base}/health/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      );
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
      child.kill('SIGTERM');
      const done = await exit;
      assert.equal(done.code, 0, done.stderr);
    } finally {
      await transport.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
