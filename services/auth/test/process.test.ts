// auth as operators run it: main.ts as a process with its production wiring (config from the
// environment, the token service found through SERVICE_URLS, its own service token by client
// credentials, callers verified against the token service's JWKS), serving register → login,
// and stopping cleanly on SIGTERM. Also: a bad config is one line and exit 1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, runScript, type TestDatabase, TestTokenIssuer, testDatabase } from '@shopnow/testkit';
import { migrateAuth } from './helpers.ts';
import { SERVICE_SECRET, startTokenServer, type TokenServer } from './token-server.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

const start = (env: Record<string, string>) => runScript(MAIN, [], env);

let db: TestDatabase;
let bus: TestDatabase;
let issuer: TestTokenIssuer;
let tokens: TokenServer;
before(async () => {
  db = await testDatabase();
  bus = await testDatabase();
  await migrateAuth(db.pool);
  issuer = await TestTokenIssuer.create();
  tokens = await startTokenServer(issuer);
});
after(async () => {
  await tokens?.close();
  await db?.drop();
  await bus?.drop();
});

describe('main.ts', () => {
  it('serves register and login with production wiring, then exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const { child, exit, output } = start({
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SERVICE_URLS: `token=${tokens.url}`,
      SERVICE_CLIENT_SECRET: SERVICE_SECRET,
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 20_000;
      while (true) {
        const ready = await fetch(`${base}/health/ready`).catch(() => undefined);
        if (ready?.status === 200) break;
        assert.ok(Date.now() < deadline, 'auth did not become ready');
        await sleep(100);
      }
      const post = (path: string, body: unknown) =>
        fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const email = `proc-${Date.now()}@example.com`;
      const registered = await post('/register', {
        email,
        password: 'process-pass-123',
        displayName: 'Proc',
      });
      assert.equal(registered.status, 202);
      const loggedIn = await post('/login', { email, password: 'process-pass-123' });
      assert.equal(loggedIn.status, 200, `${await loggedIn.clone().text()}\n${output()}`);
      const session = (await loggedIn.json()) as { accessToken: string };
      // The token it returned is accepted by auth (verified against the JWKS it fetched).
      const change = await fetch(`${base}/password/change`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
        body: JSON.stringify({ currentPassword: 'process-pass-123', newPassword: 'process-pass-456' }),
      });
      assert.equal(change.status, 204, await change.clone().text());
    } finally {
      child.kill('SIGTERM');
    }
    const { code, stderr } = await exit;
    assert.equal(code, 0, stderr);
  });

  it('exits 1 with one line naming DATABASE_URL when it is missing', async () => {
    const { exit } = start({ PORT: '0' });
    const { code, stdout, stderr } = await exit;
    assert.equal(code, 1);
    assert.match(stdout + stderr, /DATABASE_URL/);
  });
});
