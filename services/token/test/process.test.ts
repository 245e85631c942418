// The service as operators run it: `admin.ts migrate` and `purge` as one-off commands, main.ts as
// a process (a bad SERVICE_CLIENTS is one config line; serving JWKS and client credentials over
// real HTTP; a graceful SIGTERM).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ServiceDatabases, serviceDatabases, serviceScripts } from '@shopnow/testkit';
import { decodeJwt } from 'jose';

const service = serviceScripts(new URL('../src/', import.meta.url));
const run = service.run;
let dbs: ServiceDatabases;
before(async () => {
  dbs = await serviceDatabases();
});
after(() => dbs?.drop());

const SECRET = 'order-secret-0123456789';

describe('token as a process', () => {
  it('admin.ts migrate, then purge', async () => {
    await service.migrate(dbs.env);
    const purged = await run('admin.ts', ['purge'], { DATABASE_URL: dbs.db.url }).exit;
    assert.equal(purged.code, 0, purged.stderr + purged.stdout);
  });

  it('a short client secret stops the process with one line naming SERVICE_CLIENTS', async () => {
    const res = await run('main.ts', [], { ...dbs.env, SERVICE_CLIENTS: 'order=short' }).exit;
    assert.equal(res.code, 1);
    assert.match(res.stderr + res.stdout, /SERVICE_CLIENTS/);
  });

  it('serves the JWKS and client credentials over HTTP, and exits 0 on SIGTERM', async () => {
    const main = await service.start({ ...dbs.env, SERVICE_CLIENTS: `order=${SECRET}`, LOG_LEVEL: 'warn' });
    const base = main.url;
    try {
      const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
      assert.equal(jwks.keys.length, 1);
      const res = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`order:${SECRET}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      assert.equal(res.status, 200);
      const token = ((await res.json()) as { access_token: string }).access_token;
      assert.equal(decodeJwt(token).sub, 'service:order');
      const revocations = await fetch(`${base}/revocations`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(revocations.status, 200);
      const result = await main.stop();
      assert.equal(result.code, 0, result.stderr);
    } finally {
      main.kill();
    }
  });
});
