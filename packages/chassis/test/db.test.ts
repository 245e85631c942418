import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import { Registry } from 'prom-client';
import { createPool, withTransaction } from '../src/db/pool.ts';
import { registerPoolMetrics } from '../src/db/pool-metrics.ts';

let db: TestDatabase;
before(async () => {
  db = await testDatabase();
  await db.pool.query('create table notes (id int primary key, text text not null)');
});
after(() => db.drop());

test('withTransaction commits on success and rolls back on error', async () => {
  const pool = createPool({ connectionString: db.url, applicationName: 'db-test' });
  try {
    await withTransaction(pool, (client) => client.query("insert into notes values (1, 'kept')"));
    await assert.rejects(
      withTransaction(pool, async (client) => {
        await client.query("insert into notes values (2, 'rolled back')");
        throw new Error('boom');
      }),
      /boom/,
    );
    const { rows } = await pool.query('select id from notes order by id');
    assert.deepEqual(rows, [{ id: 1 }]);
    assert.equal(pool.idleCount, pool.totalCount, 'a client was not returned to the pool');
  } finally {
    await pool.end();
  }
});

test('statement_timeout and application_name are set on every connection', async () => {
  const pool = createPool({
    connectionString: db.url,
    applicationName: 'db-test-app',
    statementTimeoutMs: 100,
  });
  try {
    const { rows } = await pool.query("select current_setting('application_name') as app");
    assert.equal(rows[0].app, 'db-test-app');
    await assert.rejects(pool.query('select pg_sleep(2)'), /statement timeout/);
  } finally {
    await pool.end();
  }
});

test('an idle connection killed by the server is logged, not a crash', async () => {
  const warnings: unknown[] = [];
  const pool = createPool({
    connectionString: db.url,
    applicationName: 'db-test-victim',
    logger: { warn: (...args: unknown[]) => warnings.push(args) } as never,
  });
  try {
    await pool.query('select 1'); // leaves one idle client
    await db.pool.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'db-test-victim'",
    );
    for (let i = 0; i < 40 && warnings.length === 0; i++) await sleep(25);
    assert.equal(warnings.length, 1);
    const { rows } = await pool.query('select 1 as ok'); // the pool recovers with a new connection
    assert.equal(rows[0].ok, 1);
  } finally {
    await pool.end();
  }
});

test('pool gauges report idle, used, pending and max connections', async () => {
  const pool = createPool({ connectionString: db.url, applicationName: 'db-test-metrics', max: 2 });
  const registry = new Registry();
  registerPoolMetrics(registry, pool);
  try {
    const held = await Promise.all([pool.connect(), pool.connect()]);
    const waiting = pool.connect(); // pool is full: this caller waits
    const text = await registry.metrics();
    assert.match(text, /db_client_connection_count\{state="used"\} 2/);
    assert.match(text, /db_client_connection_count\{state="idle"\} 0/);
    assert.match(text, /db_client_connection_pending_requests 1/);
    assert.match(text, /db_client_connection_max 2/);
    for (const client of held) client.release();
    (await waiting).release();
    assert.match(await registry.metrics(), /db_client_connection_count\{state="idle"\} 2/);
  } finally {
    await pool.end();
  }
});
