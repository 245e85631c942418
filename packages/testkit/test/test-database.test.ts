import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { freePort, testDatabase, testServerUrl } from '../src/index.ts';

test('each test database is fresh and isolated, and drop() removes it', async () => {
  const [a, b] = await Promise.all([testDatabase(), testDatabase()]);
  assert.notEqual(a.name, b.name);
  await a.pool.query('create table only_in_a (id int)');
  const { rows } = await b.pool.query("select to_regclass('only_in_a') as t");
  assert.deepEqual(rows, [{ t: null }]);

  await Promise.all([a.drop(), b.drop()]);
  const admin = new pg.Client({ connectionString: await testServerUrl() });
  await admin.connect();
  try {
    const left = await admin.query('select datname from pg_database where datname = any($1)', [
      [a.name, b.name],
    ]);
    assert.equal(left.rowCount, 0);
  } finally {
    await admin.end();
  }
});

test('drop() succeeds while other sessions are still connected', async () => {
  const db = await testDatabase();
  const straggler = new pg.Client({ connectionString: db.url });
  straggler.on('error', () => {}); // it is terminated by the forced drop
  await straggler.connect();
  await db.drop();
  await straggler.end().catch(() => {});
});

test('freePort returns a port that can be bound at once', async () => {
  const port = await freePort();
  assert.ok(port > 0 && port < 65536);
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(port, '127.0.0.1', resolve),
  );
  await new Promise((resolve) => server.close(resolve));
});
