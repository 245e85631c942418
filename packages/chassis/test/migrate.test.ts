import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, test } from 'node:test';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';

const dirs: string[] = [];
let db: TestDatabase;

beforeEach(async () => {
  db = await testDatabase();
});
afterEach(() => db.drop());
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrate-test-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return dir;
}

async function recorded(): Promise<string[]> {
  const { rows } = await db.pool.query(
    'select namespace, version, name from schema_migrations order by applied_at, namespace, version',
  );
  return rows.map((row) => `${row.namespace}/${row.version}/${row.name}`);
}

test('applies chassis migrations, then the service files in numeric order, once', async () => {
  const dir = await migrationsDir({
    '10_later.sql': 'insert into things values (10)',
    '2_create.sql': 'create table things (n int)',
    'README.md': 'not a migration',
  });
  const first = await migrate(db.pool, { service: 'shop', dir });
  assert.deepEqual(first.applied, [
    'chassis/001_idempotency_keys.sql',
    'shop/2_create.sql',
    'shop/10_later.sql',
  ]);
  assert.deepEqual(await recorded(), ['chassis/1/idempotency_keys', 'shop/2/create', 'shop/10/later']);

  const second = await migrate(db.pool, { service: 'shop', dir });
  assert.deepEqual(second.applied, []);
  const { rows } = await db.pool.query('select n from things');
  assert.deepEqual(rows, [{ n: 10 }]);
});

test('replicas migrating at the same moment apply each file exactly once', async () => {
  // A plain CREATE TABLE fails if it runs twice; the sleep keeps the first runner busy while the others arrive.
  const dir = await migrationsDir({
    '001_slow.sql': 'select pg_sleep(0.3); create table once_only (n int)',
    '002_next.sql': 'insert into once_only values (1)',
  });
  const replicas = [0, 1, 2].map(() => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    // An idle client whose server connection ends emits 'error' on its pool; as a service's pool
    // does (chassis createPool), log it rather than crash: what counts is what migrate returned.
    pool.on('error', (err) => console.warn(`replica pool: idle client lost: ${err.message}`));
    return pool;
  });
  try {
    const results = await Promise.all(replicas.map((pool) => migrate(pool, { service: 'shop', dir })));
    const applied = results.flatMap((result) => result.applied).sort();
    assert.deepEqual(applied, ['chassis/001_idempotency_keys.sql', 'shop/001_slow.sql', 'shop/002_next.sql']);
    const { rows } = await db.pool.query('select count(*)::int as n from once_only');
    assert.equal(rows[0].n, 1);
  } finally {
    await Promise.all(replicas.map((pool) => pool.end()));
  }
});

test('a failing file is rolled back whole and stops the run; earlier files stay applied', async () => {
  const dir = await migrationsDir({
    '001_ok.sql': 'create table ok (n int)',
    '002_broken.sql': 'create table half (n int); select no_such_function()',
    '003_never.sql': 'create table never (n int)',
  });
  await assert.rejects(
    migrate(db.pool, { service: 'shop', dir }),
    /002_broken\.sql failed: .*no_such_function/,
  );
  assert.deepEqual(await recorded(), ['chassis/1/idempotency_keys', 'shop/1/ok']);
  const { rows } = await db.pool.query("select to_regclass('half') as half, to_regclass('never') as never");
  assert.deepEqual(rows[0], { half: null, never: null });
});

test('editing a file after it was applied is an error', async () => {
  const dir = await migrationsDir({ '001_create.sql': 'create table t (n int)' });
  await migrate(db.pool, { service: 'shop', dir });
  await writeFile(join(dir, '001_create.sql'), 'create table t (n bigint)');
  await assert.rejects(
    migrate(db.pool, { service: 'shop', dir }),
    /001_create\.sql changed after it was applied/,
  );
});

test('badly named files and duplicate versions are refused before anything runs', async () => {
  const badName = await migrationsDir({ 'create_things.sql': 'select 1' });
  await assert.rejects(migrate(db.pool, { service: 'shop', dir: badName }), /is not named NNN_name\.sql/);
  const duplicate = await migrationsDir({ '001_a.sql': 'select 1', '1_b.sql': 'select 1' });
  await assert.rejects(migrate(db.pool, { service: 'shop', dir: duplicate }), /share version 1/);
  const { rows } = await db.pool.query("select to_regclass('schema_migrations') as t");
  assert.equal(rows[0].t, null);
});

test('a service without a migrations dir still gets the chassis tables', async () => {
  const result = await migrate(db.pool, {
    service: 'shop',
    dir: join(tmpdir(), 'does-not-exist-migrations'),
  });
  assert.deepEqual(result.applied, ['chassis/001_idempotency_keys.sql']);
});
