// The helpers services build their tests from: the fixture testbed (real databases, dropped on
// close and on a failed start), events on the bus and in the outbox/inbox tables, and polling.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { AuthUserRegisteredV1 } from '@shopnow/contracts';
import pg from 'pg';
import {
  eventually,
  handled,
  outboxEvents,
  published,
  publishOnBus,
  testServerUrl,
  withTestbed,
} from '../src/index.ts';

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: await testServerUrl() });
  await admin.connect();
  try {
    return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

test('a testbed migrates its database, closes newest first, then drops both databases', async () => {
  const closed: string[] = [];
  const names = await withTestbed(
    { migrate: async (pool) => void (await pool.query('CREATE TABLE migrated (id int)')) },
    async (bed) => {
      await bed.db.pool.query('SELECT * FROM migrated');
      bed.onClose(async () => void closed.push('first'));
      bed.onClose(
        async () => void closed.push(`second, db still there: ${await databaseExists(bed.db.name)}`),
      );
      const names = [bed.db.name, bed.bus.name];
      await bed.close();
      await bed.close(); // twice is harmless
      return names;
    },
  );
  assert.deepEqual(closed, ['second, db still there: true', 'first']);
  for (const name of names) assert.equal(await databaseExists(name), false, `${name} dropped`);
});

test('a start that fails halfway closes what it made and drops the databases', async () => {
  let names: string[] = [];
  let closedApp = false;
  await assert.rejects(
    withTestbed({}, async (bed) => {
      names = [bed.db.name, bed.bus.name];
      bed.onClose(async () => {
        closedApp = true;
      });
      throw new Error('app would not start');
    }),
    /app would not start/,
  );
  assert.ok(closedApp);
  for (const name of names) assert.equal(await databaseExists(name), false, `${name} dropped`);
});

test('publishOnBus sends a CloudEvents envelope and refuses data its contract refuses', async () => {
  const sent: Array<{ id: string; type: string; subject: string; body: string }> = [];
  const bus = { publish: async (messages: readonly (typeof sent)[number][]) => void sent.push(...messages) };
  const userId = randomUUID();
  const data = { userId, email: 'ada@example.com', displayName: 'Ada' };
  const time = new Date('2030-01-02T03:04:05.000Z');
  const id = await publishOnBus(bus, AuthUserRegisteredV1, { source: 'auth', subject: userId, data, time });
  assert.equal(sent.length, 1);
  const { body, ...routing } = sent[0] ?? { body: '' };
  assert.deepEqual(routing, { id, type: AuthUserRegisteredV1.type, subject: userId });
  assert.deepEqual(JSON.parse(body), {
    specversion: '1.0',
    id,
    type: AuthUserRegisteredV1.type,
    source: 'auth',
    time: time.toISOString(),
    subject: userId,
    datacontenttype: 'application/json',
    data,
  });
  const again = { source: 'auth', subject: userId, data, id: 'e-2' };
  assert.equal(await publishOnBus(bus, AuthUserRegisteredV1, again), 'e-2');
  await assert.rejects(
    publishOnBus(bus, AuthUserRegisteredV1, { ...again, data: { userId } }),
    new RegExp(AuthUserRegisteredV1.type),
  );
  assert.equal(sent.length, 2, 'nothing sent for the refused data');
});

test('outbox and inbox reads: by type, by subject, oldest first; handled by any or one group', async () => {
  await withTestbed({}, async (bed) => {
    const { pool } = bed.db;
    await pool.query(`CREATE TABLE outbox (seq bigserial, type text, subject text, body text)`);
    await pool.query(`CREATE TABLE inbox (consumer_group text, event_id text)`);
    const row = (type: string, subject: string, n: number) =>
      pool.query('INSERT INTO outbox (type, subject, body) VALUES ($1, $2, $3)', [
        type,
        subject,
        JSON.stringify({ type, subject, data: { n } }),
      ]);
    await row('a.v1', 's1', 1);
    await row('b.v1', 's1', 2);
    await row('a.v1', 's2', 3);
    const A = { type: 'a.v1' } as Parameters<typeof published>[1];
    assert.deepEqual(await published(pool, A), [{ n: 1 }, { n: 3 }]);
    assert.deepEqual(await published(pool, A, 's2'), [{ n: 3 }]);
    assert.deepEqual(
      (await outboxEvents(pool, { subject: 's1' })).map((e) => e.type),
      ['a.v1', 'b.v1'],
    );
    assert.equal(await handled(pool, 'e-1'), false);
    await pool.query(`INSERT INTO inbox VALUES ('svc.one', 'e-1')`);
    assert.equal(await handled(pool, 'e-1'), true);
    assert.equal(await handled(pool, 'e-1', 'svc.one'), true);
    assert.equal(await handled(pool, 'e-1', 'svc.two'), false);
    await bed.close();
  });
});

test('eventually resolves once the check holds and fails naming what it waited for', async () => {
  let calls = 0;
  await eventually('the third call', () => ++calls >= 3, 2_000);
  assert.equal(calls, 3);
  await assert.rejects(
    eventually('never', () => false, 120),
    /timed out waiting until never/,
  );
});
