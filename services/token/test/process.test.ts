// The service as operators run it: `admin.ts migrate` and `purge` as one-off commands, main.ts as
// a process (a bad SERVICE_CLIENTS is one config line; serving JWKS and client credentials over
// real HTTP; a graceful SIGTERM).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort, runScript, type TestDatabase, testDatabase } from '@shopnow/testkit';
import { decodeJwt } from 'jose';

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

const SECRET = 'order-secret-0123456789';

describe('token as a process', () => {
  it('admin.ts migrate, then purge', async () => {
    const migrated = await run('admin.ts', ['migrate'], { DATABASE_URL: db.url }).exit;
    assert.equal(migrated.code, 0, migrated.stderr + migrated.stdout);
    const purged = await run('admin.ts', ['purge'], { DATABASE_URL: db.url }).exit;
    assert.equal(purged.code, 0, purged.stderr + purged.stdout);
  });

  it('a short client secret stops the process with one line naming SERVICE_CLIENTS', async () => {
    const res = await run('main.ts', [], {
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
      SERVICE_CLIENTS: 'order=short',
    }).exit;
    assert.equal(res.code, 1);
    assert.match(res.stderr + res.stdout, /SERVICE_CLIENTS/);
  });

  it('serves the JWKS and client credentials over HTTP, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const { child, exit } = run('main.ts', [], {
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
      SERVICE_CLIENTS: `order=${SECRET}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      let ready = false;
      for (let i = 0; i < 150 && !ready; i++) {
        ready = await fetch(`${base}/health/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (!ready) await sleep(100);
      }
      assert.ok(ready, 'ready within 15 s');
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
    } finally {
      child.kill('SIGTERM');
    }
    const result = await exit;
    assert.equal(result.code, 0, result.stderr);
  });
});
