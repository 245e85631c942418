// The service as operators run it: `admin.ts migrate` and `admin.ts grant-role` as one-off
// commands (the launcher's seed makes the first admin with the latter), and main.ts refusing
// to start on bad config.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serviceScripts, type TestDatabase, testDatabase } from '@shopnow/testkit';

const service = serviceScripts(new URL('../src/', import.meta.url));
const run = (script: string, args: string[], env: Record<string, string>) =>
  service.run(script, args, env).exit;

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

describe('admin.ts', () => {
  it('migrate creates the tables, and a second run changes nothing', async () => {
    // Migrate also declares user's consumer groups on the bus.
    const env = { DATABASE_URL: db.url, BUS_DATABASE_URL: bus.url };
    const first = await run('admin.ts', ['migrate'], env);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const again = await run('admin.ts', ['migrate'], env);
    assert.equal(again.code, 0, again.stderr);
    const { rows } = await db.pool.query(
      "SELECT to_regclass('users') AS users, to_regclass('outbox') AS outbox",
    );
    assert.deepEqual(rows[0], { users: 'users', outbox: 'outbox' });
  });

  it('grant-role makes the first admin ahead of registration and publishes user.roles_changed.v1', async () => {
    const userId = randomUUID();
    const env = { DATABASE_URL: db.url };

    const noEmail = await run('admin.ts', ['grant-role', '--user-id', userId, '--role', 'admin'], env);
    assert.equal(noEmail.code, 1);
    assert.match(noEmail.stderr, /--email/);

    const args = ['grant-role', '--user-id', userId, '--role', 'admin', '--email', 'root@example.com'];
    const granted = await run('admin.ts', args, env);
    assert.equal(granted.code, 0, granted.stderr);
    const out = JSON.parse(granted.stdout.trim().split('\n').at(-1) as string);
    assert.equal(out.outcome, 'created');
    assert.deepEqual(out.user.roles, ['customer', 'admin']);

    const repeat = await run('admin.ts', args, env);
    assert.equal(repeat.code, 0, repeat.stderr);
    assert.equal(JSON.parse(repeat.stdout.trim().split('\n').at(-1) as string).outcome, 'unchanged');

    const { rows } = await db.pool.query<{ type: string }>('SELECT type FROM outbox WHERE subject = $1', [
      userId,
    ]);
    assert.deepEqual(
      rows.map((r) => r.type),
      ['user.roles_changed.v1'],
    );
  });

  it('grant-role refuses bad usage with exit 2 and writes nothing', async () => {
    const env = { DATABASE_URL: db.url };
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
    for (const args of [
      ['--user-id', 'nope', '--role', 'admin'],
      ['--user-id', randomUUID(), '--role', 'root'],
      ['--user-id', randomUUID(), '--role', 'admin', '--email', 'not an email'],
      ['--user-id', randomUUID(), '--role', 'admin', '--password', 'hunter2'],
      [],
    ]) {
      const res = await run('admin.ts', ['grant-role', ...args], env);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, /usage: admin.ts grant-role/);
    }
    assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM users')).rows[0].n, before);
  });

  it('grant-role --grants-file grants several roles in one run; a bad file is exit 2', async () => {
    const env = { DATABASE_URL: db.url };
    const dir = await mkdtemp(join(tmpdir(), 'user-grants-'));
    try {
      const file = join(dir, 'grants.json');
      const staff = [
        { userId: randomUUID(), role: 'admin', email: 'boss@example.com' },
        { userId: randomUUID(), role: 'support', email: 'helper@example.com' },
      ];
      await writeFile(file, JSON.stringify(staff));
      const res = await run('admin.ts', ['grant-role', '--grants-file', file], env);
      assert.equal(res.code, 0, res.stderr);
      const outcomes = res.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { outcome: string; user: { id: string; roles: string[] } });
      assert.deepEqual(
        outcomes.map((o) => [o.outcome, o.user.id, o.user.roles]),
        [
          ['created', staff[0]!.userId, ['customer', 'admin']],
          ['created', staff[1]!.userId, ['customer', 'support']],
        ],
      );
      await writeFile(file, JSON.stringify([{ userId: 'nope', role: 'admin' }]));
      const bad = await run('admin.ts', ['grant-role', '--grants-file', file], env);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--user-id must be a UUID/);
      await writeFile(file, '{"not": "a list"}');
      assert.equal((await run('admin.ts', ['grant-role', '--grants-file', file], env)).code, 2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without DATABASE_URL exits 1 with one line naming it', async () => {
    const res = await run('admin.ts', ['migrate'], {});
    assert.equal(res.code, 1);
    assert.match(res.stderr, /DATABASE_URL/);
  });
});

describe('main.ts', () => {
  it('refuses to start without DATABASE_URL: exit 1, one line naming it', async () => {
    const res = await run('main.ts', [], { PORT: '0' });
    assert.equal(res.code, 1);
    assert.match(res.stderr + res.stdout, /DATABASE_URL/);
  });
});
