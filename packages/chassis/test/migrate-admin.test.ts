import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';

const exec = promisify(execFile);
const ADMIN = new URL('./fixtures/admin.ts', import.meta.url).pathname;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function admin(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const { DATABASE_URL: _ignored, ...base } = process.env;
  try {
    const { stdout, stderr } = await exec(process.execPath, [ADMIN, ...args], { env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let db: TestDatabase;
before(async () => {
  db = await testDatabase();
});
after(() => db.drop());

test('migrate applies the chassis and service migrations and logs JSON lines', async () => {
  const result = await admin(['migrate'], { DATABASE_URL: db.url });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.ok(lines.every((line) => line.service === 'fixture' && line.command === 'migrate'));
  assert.deepEqual(lines.at(-1).applied, ['chassis/001_idempotency_keys.sql', 'fixture/001_widgets.sql']);
  assert.equal(result.stdout.includes(db.url), false, 'the database URL (with its password) was logged');
});

test('seed migrates first, then seeds, and can run again', async () => {
  for (let run = 0; run < 2; run++) {
    const result = await admin(['seed'], { DATABASE_URL: db.url });
    assert.equal(result.code, 0, result.stderr);
  }
  const { rows } = await db.pool.query('select name from widgets');
  assert.deepEqual(rows, [{ name: 'gear' }]);
});

test('a missing DATABASE_URL exits 1 with one line naming it', async () => {
  const result = await admin(['migrate'], {});
  assert.equal(result.code, 1);
  assert.equal(result.stderr, 'config: DATABASE_URL is required (a postgres:// URL)\n');
});

test('an unknown command prints usage and exits 2', async () => {
  const result = await admin(['explode'], { DATABASE_URL: db.url });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /usage: admin\.ts <migrate\|seed>/);
});

test('with MIGRATE_ON_START an extra command migrates first, so it can run before the service has', async () => {
  const fresh = await testDatabase();
  try {
    const before = await admin(['count-widgets'], { DATABASE_URL: fresh.url });
    assert.notEqual(before.code, 0, 'without it the command finds no table');
    const result = await admin(['count-widgets'], { DATABASE_URL: fresh.url, MIGRATE_ON_START: 'true' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"widgets":0/);
  } finally {
    await fresh.drop();
  }
});
