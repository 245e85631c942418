// The user record comes from auth.user_registered.v1 over the real bus (postgres transport):
// created once as customer / free / active, however often the event arrives. `grant-role` can
// make the record ahead of the event; the event then fills in the account's email and name.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthUserRegisteredV1 } from '@shopnow/contracts';
import { outboxOnlyEvents, type Transport } from '@shopnow/events';
import { grantRole } from '../src/commands/grant-role.ts';
import { userCatalog } from '../src/events/catalog.ts';
import { createUser, outboxEvents, startUser, type UserFixture } from './helpers.ts';

let f: UserFixture;
let auth: Transport;
before(async () => {
  f = await startUser();
  auth = f.newTransport();
  await auth.start();
});
after(async () => {
  await auth?.close();
  await f?.close();
});

const GROUP = 'user.registrations';

function registered(userId: string, email: string, displayName: string, id: string = randomUUID()) {
  const envelope = {
    specversion: '1.0',
    id,
    type: AuthUserRegisteredV1.type,
    source: 'auth',
    time: new Date().toISOString(),
    subject: userId,
    datacontenttype: 'application/json',
    data: { userId, email, displayName },
  };
  return { id, type: envelope.type, subject: userId, body: JSON.stringify(envelope) };
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting until ${what}`);
}

const handled = async (eventId: string) =>
  (
    await f.pool.query('SELECT count(*)::int AS n FROM inbox WHERE consumer_group = $1 AND event_id = $2', [
      GROUP,
      eventId,
    ])
  ).rows[0].n as number;

const userRows = async (id: string) => (await f.pool.query('SELECT * FROM users WHERE id = $1', [id])).rows;

describe('auth.user_registered.v1', () => {
  it('creates the user as an active free customer', async () => {
    const userId = randomUUID();
    const message = registered(userId, 'new.user@example.com', 'New User');
    await auth.publish([message]);
    await eventually('the event is handled', async () => (await handled(message.id)) === 1);

    const token = await f.issuer.user(userId);
    const res = await f.app.inject({
      method: 'GET',
      url: '/users/me',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const user = res.json();
    assert.equal(user.email, 'new.user@example.com');
    assert.equal(user.displayName, 'New User');
    assert.deepEqual(user.roles, ['customer']);
    assert.equal(user.tier, 'free');
    assert.equal(user.status, 'active');
  });

  it('twice (the same event redelivered, or a second event for the account) creates it once', async () => {
    const userId = randomUUID();
    const first = registered(userId, 'twice@example.com', 'First Name');
    await auth.publish([first]);
    await auth.publish([first]);
    const second = registered(userId, 'other@example.com', 'Second Name');
    await auth.publish([second]);
    await eventually('both events are handled', async () => (await handled(second.id)) === 1);
    await sleep(300); // room for a stray redelivery of `first` to do harm, if it could

    assert.equal(await handled(first.id), 1);
    const rows = await userRows(userId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].email, 'twice@example.com');
    assert.equal(rows[0].display_name, 'First Name');
  });

  it('does not undo later changes when a second event for the account arrives', async () => {
    const user = await createUser(f, { roles: ['customer', 'support'], tier: 'premium' });
    const again = registered(user.id, user.email, 'Renamed?');
    await auth.publish([again]);
    await eventually('the event is handled', async () => (await handled(again.id)) === 1);
    const [row] = await userRows(user.id);
    assert.deepEqual(row.roles, ['customer', 'support']);
    assert.equal(row.tier, 'premium');
    assert.notEqual(row.display_name, 'Renamed?');
  });

  it('a malformed event is dead-lettered; the consumer goes on', async () => {
    const bad = registered(randomUUID(), 'not-an-email', 'Bad');
    await auth.publish([bad]);
    const good = registered(randomUUID(), 'after.bad@example.com', 'After Bad');
    await auth.publish([good]);
    await eventually('the good event is handled', async () => (await handled(good.id)) === 1);
    await eventually('the bad event is dead-lettered', async () => {
      const { rows } = await f.pool.query(
        'SELECT count(*)::int AS n FROM event_dead_letters WHERE event_id = $1',
        [bad.id],
      );
      return rows[0].n === 1;
    });
  });
});

describe('grant-role ahead of registration', () => {
  it('makes the record from --email; the registration event then fills in the account, keeping the role', async () => {
    const userId = randomUUID();
    const events = outboxOnlyEvents({
      service: 'user',
      db: f.pool,
      catalog: userCatalog,
      logger: f.app.log as never,
    });
    assert.deepEqual(await grantRole(f.pool, events, { userId, role: 'admin' }), {
      outcome: 'email_required',
    });
    assert.equal((await userRows(userId)).length, 0);

    const created = await grantRole(f.pool, events, {
      userId,
      role: 'admin',
      email: 'first.admin@example.com',
    });
    assert.equal(created.outcome, 'created');
    assert.deepEqual(await outboxEvents(f.pool, userId), [
      { type: 'user.roles_changed.v1', data: { userId, roles: ['customer', 'admin'], previousRoles: [] } },
    ]);

    const message = registered(userId, 'First.Admin@example.com', 'First Admin');
    await auth.publish([message]);
    await eventually('the event is handled', async () => (await handled(message.id)) === 1);
    const [row] = await userRows(userId);
    assert.equal(row.display_name, 'First Admin');
    assert.equal(row.email, 'First.Admin@example.com');
    assert.deepEqual(row.roles, ['customer', 'admin']);

    const unchanged = await grantRole(f.pool, events, { userId, role: 'admin' });
    assert.equal(unchanged.outcome, 'unchanged');
    const granted = await grantRole(f.pool, events, { userId, role: 'support' });
    assert.equal(granted.outcome, 'granted');
    assert.deepEqual(
      (await outboxEvents(f.pool, userId)).map((e) => e.data.roles),
      [
        ['customer', 'admin'],
        ['customer', 'support', 'admin'],
      ],
    );
  });
});
