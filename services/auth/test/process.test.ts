// auth as operators run it: main.ts as a process with its production wiring (config from the
// environment, the token service found through SERVICE_URLS, its own service token by client
// credentials, callers verified against the token service's JWKS), serving register → login,
// and stopping cleanly on SIGTERM. Also: a bad config is one line and exit 1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ServiceDatabases, serviceDatabases, serviceScripts, TestTokenIssuer } from '@shopnow/testkit';
import { migrateAuth } from './helpers.ts';
import { SERVICE_SECRET, startTokenServer, type TokenServer } from './token-server.ts';

const service = serviceScripts(new URL('../src/', import.meta.url));
let dbs: ServiceDatabases;
let tokens: TokenServer;
before(async () => {
  dbs = await serviceDatabases();
  await migrateAuth(dbs.db.pool);
  tokens = await startTokenServer(await TestTokenIssuer.create());
});
after(async () => {
  await tokens?.close();
  await dbs?.drop();
});

describe('main.ts', () => {
  it('serves register and login with production wiring, then exits 0 on SIGTERM', async () => {
    const main = await service.start({
      ...dbs.env,
      LOG_LEVEL: 'warn',
      SERVICE_URLS: `token=${tokens.url}`,
      SERVICE_CLIENT_SECRET: SERVICE_SECRET,
    });
    const { url: base, output } = main;
    try {
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
      const { code, stderr } = await main.stop();
      assert.equal(code, 0, stderr);
    } finally {
      main.kill();
    }
  });

  it('exits 1 with one line naming DATABASE_URL when it is missing', async () => {
    const { code, stdout, stderr } = await service.run('main.ts', [], { PORT: '0' }).exit;
    assert.equal(code, 1);
    assert.match(stdout + stderr, /DATABASE_URL/);
  });
});
