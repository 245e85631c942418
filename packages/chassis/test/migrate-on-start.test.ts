// MIGRATE_ON_START: a service applies its own migrations before it serves (the embedded launcher's
// way to save an admin process per service); two replicas starting together apply each file once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, runScript, type TestDatabase, testDatabase } from '@shopnow/testkit';

const SERVICE = fileURLToPath(new URL('./fixtures/migrating-service.ts', import.meta.url));

let db: TestDatabase;
before(async () => {
  db = await testDatabase();
});
after(() => db.drop());

async function waitForUp(url: string, timeoutMs = 20_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(url).catch(() => undefined);
    if (res?.ok) return res;
    if (Date.now() > deadline) throw new Error(`${url} did not answer in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('two replicas with MIGRATE_ON_START migrate once and both serve the migrated schema', async () => {
  const ports = [await freePort(), await freePort()];
  const replicas = ports.map((port) =>
    runScript(SERVICE, [], {
      DATABASE_URL: db.url,
      MIGRATE_ON_START: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
    }),
  );
  try {
    for (const port of ports) {
      const res = await waitForUp(`http://127.0.0.1:${port}/widgets`);
      assert.deepEqual(await res.json(), []);
    }
    const { rows } = await db.pool.query('select count(*)::int as n from schema_migrations');
    assert.equal(rows[0].n, 2, 'the chassis and the fixture migration, each applied once');
    assert.match(replicas.map((r) => r.output()).join(''), /migrations applied/);
  } finally {
    for (const replica of replicas) replica.child.kill('SIGTERM');
    await Promise.all(replicas.map((r) => r.exit));
  }
});

test('without MIGRATE_ON_START nothing is migrated at start', async () => {
  const other = await testDatabase();
  const port = await freePort();
  const service = runScript(SERVICE, [], { DATABASE_URL: other.url, PORT: String(port), HOST: '127.0.0.1' });
  try {
    await waitForUp(`http://127.0.0.1:${port}/health/live`);
    const { rows } = await other.pool.query("select to_regclass('widgets') as t");
    assert.equal(rows[0].t, null);
  } finally {
    service.child.kill('SIGTERM');
    await service.exit;
    await other.drop();
  }
});

test('MIGRATE_ON_START without a database is a config error: one line, exit 1', async () => {
  const { exit } = runScript(SERVICE, [], { MIGRATE_ON_START: 'true', PORT: String(await freePort()) });
  const result = await exit;
  assert.equal(result.code, 1);
  assert.match(result.stderr, /MIGRATE_ON_START is set but migrating-fixture has no DATABASE_URL/);
});
