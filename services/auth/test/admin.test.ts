// The admin commands as the launcher runs them: `migrate`, then `create-account` with the
// password from a file or stdin (never argv); the account can sign in and
// auth.user_registered.v1 is in the outbox for the running service to relay.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import { verifyPassword } from '../src/passwords/argon2.ts';
import { outboxEvents } from './helpers.ts';

const ADMIN = fileURLToPath(new URL('../src/admin.ts', import.meta.url));

let db: TestDatabase;
let dir: string;
before(async () => {
  db = await testDatabase();
  dir = await mkdtemp(join(tmpdir(), 'auth-admin-'));
});
after(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function admin(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ADMIN, ...args], {
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('admin.ts', () => {
  it('migrate, then create-account from a password file (verified) prints the new id', async () => {
    assert.equal((await admin(['migrate'])).code, 0);
    const file = join(dir, 'admin-password');
    await writeFile(file, 'demo-admin-passphrase\n', { mode: 0o600 });
    const res = await admin([
      'create-account',
      '--email',
      ' Admin@ShopNow.Example ',
      '--password-file',
      file,
      '--display-name',
      'Demo Admin',
      '--verified',
    ]);
    assert.equal(res.code, 0, res.stderr);
    const userId = res.stdout.trim();
    assert.match(userId, UUID);
    const { rows } = await db.pool.query(
      'SELECT email, password_hash, email_verified_at FROM accounts WHERE id = $1',
      [userId],
    );
    assert.equal(rows[0].email, 'admin@shopnow.example');
    assert.ok(rows[0].email_verified_at instanceof Date);
    assert.equal(
      await verifyPassword('demo-admin-passphrase', rows[0].password_hash),
      true,
      'trailing newline dropped',
    );
    const registered = (await outboxEvents(db.pool, 'auth.user_registered.v1')).filter(
      (e) => e.subject === userId,
    );
    assert.deepEqual(
      registered.map((e) => e.data),
      [{ userId, email: 'admin@shopnow.example', displayName: 'Demo Admin' }],
    );
    // Verified: no verification email asked for.
    assert.equal((await outboxEvents(db.pool, 'auth.email_verification_requested.v1')).length, 0);

    // Run again: the same id, nothing new.
    const again = await admin([
      'create-account',
      '--email',
      'admin@shopnow.example',
      '--password-file',
      file,
    ]);
    assert.equal(again.code, 0);
    assert.equal(again.stdout.trim(), userId);
    assert.match(again.stderr, /already has an account/);
    assert.equal((await outboxEvents(db.pool, 'auth.user_registered.v1')).length, 1);
  });

  it('--user-id fixes the new id; a rerun with it is fine, another id for a taken email is exit 1', async () => {
    const id = '3f0c5a8e-2b4d-4c6e-9a1b-7d2e4f6a8b0c';
    const args = ['create-account', '--email', 'seeded@shopnow.example', '--user-id', id, '--verified'];
    const first = await admin(args, 'seeded-passphrase-1\n');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), id);
    const rerun = await admin(args, 'seeded-passphrase-1\n');
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(rerun.stdout.trim(), id);
    const other = await admin(
      [
        'create-account',
        '--email',
        'seeded@shopnow.example',
        '--user-id',
        '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      ],
      'seeded-passphrase-1\n',
    );
    assert.equal(other.code, 1);
    assert.match(other.stderr, new RegExp(`its id is ${id}`));
    assert.equal(
      (await admin(['create-account', '--email', 'y@shopnow.example', '--user-id', 'nope'], 'x')).code,
      2,
    );
    const registered = (await outboxEvents(db.pool, 'auth.user_registered.v1')).filter(
      (e) => e.subject === id,
    );
    assert.equal(registered.length, 1);
  });

  it('--accounts-file creates several accounts in one run; a rerun changes nothing; a bad file is exit 2', async () => {
    const file = join(dir, 'accounts.json');
    const accounts = [
      {
        email: 'batch-a@shopnow.example',
        password: 'batch-passphrase-a',
        displayName: 'Batch A',
        userId: '5b7c9d1e-2f3a-4b5c-8d6e-7f8091a2b3c4',
        verified: true,
      },
      { email: 'batch-b@shopnow.example', password: 'batch-passphrase-b' },
    ];
    await writeFile(file, JSON.stringify(accounts), { mode: 0o600 });
    const res = await admin(['create-account', '--accounts-file', file]);
    assert.equal(res.code, 0, res.stderr);
    const ids = res.stdout.trim().split('\n');
    assert.equal(ids.length, 2);
    assert.equal(ids[0], accounts[0]!.userId);
    assert.match(ids[1]!, UUID);
    const { rows } = await db.pool.query(
      'SELECT email, password_hash, email_verified_at FROM accounts WHERE id = ANY($1) ORDER BY email',
      [ids],
    );
    assert.deepEqual(
      rows.map((r) => [r.email, r.email_verified_at instanceof Date]),
      [
        ['batch-a@shopnow.example', true],
        ['batch-b@shopnow.example', false],
      ],
    );
    assert.equal(await verifyPassword('batch-passphrase-b', rows[1].password_hash), true);

    const rerun = await admin(['create-account', '--accounts-file', file]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(rerun.stdout.trim().split('\n'), ids);
    const registered = (await outboxEvents(db.pool, 'auth.user_registered.v1')).filter((e) =>
      ids.includes(e.subject ?? ''),
    );
    assert.equal(registered.length, 2, 'one registration event per account, not per run');

    await writeFile(file, JSON.stringify([{ email: 'batch-c@shopnow.example' }]));
    const missing = await admin(['create-account', '--accounts-file', file]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /entry 0 needs email and password/);
    await writeFile(file, 'not json');
    assert.equal((await admin(['create-account', '--accounts-file', file])).code, 2);
    const both = await admin(['create-account', '--accounts-file', file, '--email', 'x@shopnow.example']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /goes alone/);
  });

  it('reads the password from stdin; unverified accounts get a verification request', async () => {
    const res = await admin(
      ['create-account', '--email', 'customer1@shopnow.example'],
      'stdin-passphrase-1\n',
    );
    assert.equal(res.code, 0, res.stderr);
    const userId = res.stdout.trim();
    const { rows } = await db.pool.query('SELECT password_hash FROM accounts WHERE id = $1', [userId]);
    assert.equal(await verifyPassword('stdin-passphrase-1', rows[0].password_hash), true);
    const asked = (await outboxEvents(db.pool, 'auth.email_verification_requested.v1')).filter(
      (e) => e.subject === userId,
    );
    assert.equal(asked.length, 1);
  });

  it('purge deletes quiet throttle rows, keeps blocking and recent ones', async () => {
    await db.pool.query(
      `INSERT INTO login_throttle (key, failures, first_failure_at, last_failure_at, blocked_until) VALUES
       ('ip:old', 3, now() - interval '1 hour', now() - interval '1 hour', NULL),
       ('ip:locked', 10, now() - interval '1 hour', now() - interval '1 hour', now() + interval '1 hour'),
       ('ip:recent', 1, now(), now(), NULL)`,
    );
    const res = await admin(['purge']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(JSON.parse(res.stdout).throttleRows, 1);
    const { rows } = await db.pool.query<{ key: string }>('SELECT key FROM login_throttle ORDER BY key');
    assert.deepEqual(
      rows.map((row) => row.key),
      ['ip:locked', 'ip:recent'],
    );
  });

  it('refuses a password on argv, a weak password and a bad email (exit 2, nothing created)', async () => {
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n;
    assert.equal(
      (await admin(['create-account', '--email', 'x@shopnow.example', '--password', 'hunter2-hunter2'])).code,
      2,
    );
    assert.equal((await admin(['create-account', '--email', 'x@shopnow.example'], 'password\n')).code, 2);
    assert.equal((await admin(['create-account', '--email', 'not-an-email'], 'fine-password-1\n')).code, 2);
    assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n, before);
  });
});
