// Preferences on real Postgres: created by auth.user_registered.v1 over the real bus (once, even
// when delivered twice, and never over a user's own changes) or lazily on the owner's first read;
// PUT replaces everything (all fields required), PATCH changes some; bad values are 400 (shape)
// or 422 (rules) naming the field, and a refused write changes nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthUserRegisteredV1 } from '@shopnow/contracts';
import type { Transport } from '@shopnow/events';
import { assertProblem, asUser, type ProfileFixture, snapshot, startProfile } from './helpers.ts';

let f: ProfileFixture;
let auth: Transport;

before(async () => {
  f = await startProfile();
  auth = f.newTransport();
  await auth.start();
});
after(async () => {
  await auth?.close();
  await f?.close();
});

const DEFAULTS = { marketingOptIn: false, channels: ['email', 'in_app'], locale: 'en-GB', currency: 'EUR' };

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting until ${what}`);
}

/** Publishes what the auth service would, as it would (a CloudEvents envelope on the bus). */
async function userRegistered(userId: string, eventId: string = randomUUID()): Promise<string> {
  const envelope = {
    specversion: '1.0',
    id: eventId,
    type: AuthUserRegisteredV1.type,
    source: 'auth',
    time: new Date().toISOString(),
    subject: userId,
    datacontenttype: 'application/json',
    data: { userId, email: `${userId.slice(0, 8)}@example.com`, displayName: 'New User' },
  };
  await auth.publish([{ id: eventId, type: envelope.type, subject: userId, body: JSON.stringify(envelope) }]);
  return eventId;
}

const handled = async (eventId: string) =>
  (
    await f.pool.query(
      `select count(*)::int as n from inbox where consumer_group = 'profile.preferences' and event_id = $1`,
      [eventId],
    )
  ).rows[0].n === 1;

const rowOf = async (userId: string) =>
  (await f.pool.query('select * from preferences where user_id = $1', [userId])).rows[0];

async function put(userId: string, payload: unknown, roles?: Parameters<typeof asUser>[2]) {
  return f.app.inject({
    method: 'PUT',
    url: `/profiles/${userId}/preferences`,
    headers: await asUser(f, userId, roles),
    payload: payload as object,
  });
}

async function patch(userId: string, payload: unknown) {
  return f.app.inject({
    method: 'PATCH',
    url: `/profiles/me/preferences`,
    headers: await asUser(f, userId),
    payload: payload as object,
  });
}

describe('preferences', () => {
  it('auth.user_registered.v1 creates the default row once, even delivered twice', async () => {
    const userId = randomUUID();
    const eventId = await userRegistered(userId);
    await eventually('the event was handled', () => handled(eventId));
    const row = await rowOf(userId);
    assert.deepEqual(
      { optIn: row.marketing_opt_in, channels: row.channels, locale: row.locale, currency: row.currency },
      { optIn: false, channels: ['email', 'in_app'], locale: 'en-GB', currency: 'EUR' },
    );
    await userRegistered(userId, eventId); // a redelivery of the same event
    const again = await userRegistered(userId); // another event for the same user
    await eventually('the second event was handled', () => handled(again));
    const { rows } = await f.pool.query('select count(*)::int as n from preferences where user_id = $1', [
      userId,
    ]);
    assert.equal(rows[0].n, 1);
    assert.deepEqual(await rowOf(userId), row, 'the row is untouched');
  });

  it('an event arriving after the user changed preferences does not reset them', async () => {
    const userId = randomUUID();
    assert.equal((await patch(userId, { currency: 'USD' })).statusCode, 200);
    const eventId = await userRegistered(userId);
    await eventually('the event was handled', () => handled(eventId));
    assert.equal((await rowOf(userId)).currency, 'USD');
  });

  it("the owner's first read creates the defaults when the event has not arrived", async () => {
    const userId = randomUUID();
    assert.equal(await rowOf(userId), undefined);
    const res = await f.app.inject({ url: '/profiles/me/preferences', headers: await asUser(f, userId) });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual({ ...body, updatedAt: undefined }, { userId, ...DEFAULTS, updatedAt: undefined });
    assert.match(body.updatedAt, /^\d{4}-\d\d-\d\dT/);
    assert.ok(await rowOf(userId), 'stored');
  });

  it('an admin reading an id nobody registered sees the defaults without creating a row', async () => {
    const userId = randomUUID();
    const res = await f.app.inject({
      url: `/profiles/${userId}/preferences`,
      headers: await asUser(f, randomUUID(), ['admin']),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { userId, ...DEFAULTS, updatedAt: null });
    assert.equal(await rowOf(userId), undefined);
  });

  it('PUT replaces every field and returns the canonical form', async () => {
    const userId = randomUUID();
    const res = await put(userId, {
      marketingOptIn: true,
      channels: ['in_app', 'email'],
      locale: 'zh-hant-tw',
      currency: 'GBP',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      { ...(res.json() as object), updatedAt: undefined },
      {
        userId,
        marketingOptIn: true,
        channels: ['email', 'in_app'],
        locale: 'zh-Hant-TW',
        currency: 'GBP',
        updatedAt: undefined,
      },
    );
    const empty = await put(userId, {
      marketingOptIn: false,
      channels: [],
      locale: 'en-US',
      currency: 'USD',
    });
    assert.equal(empty.statusCode, 200, empty.body);
    assert.deepEqual(empty.json().channels, [], 'no optional channel at all is a valid choice');
    const read = await f.app.inject({
      url: `/profiles/${userId}/preferences`,
      headers: await asUser(f, userId),
    });
    assert.deepEqual(read.json(), empty.json());
  });

  it('PUT needs every field: a missing one is a 400 naming it', async () => {
    const userId = randomUUID();
    const res = await put(userId, { marketingOptIn: true, channels: ['email'], locale: 'en-GB' });
    const problem = assertProblem(res, 400, 'validation_failed');
    assert.deepEqual(problem.errors, [{ in: 'body', field: '/currency', message: 'is required' }]);
  });

  it('PATCH changes only what it names and keeps the rest', async () => {
    const userId = randomUUID();
    assert.equal((await put(userId, { ...DEFAULTS, marketingOptIn: true, currency: 'CHF' })).statusCode, 200);
    const res = await patch(userId, { locale: 'de-CH' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      { ...(res.json() as object), updatedAt: undefined },
      { userId, ...DEFAULTS, marketingOptIn: true, currency: 'CHF', locale: 'de-CH', updatedAt: undefined },
    );
  });

  it('concurrent PATCHes of different fields both take effect', async () => {
    const userId = randomUUID();
    const results = await Promise.all([
      patch(userId, { currency: 'SEK' }),
      patch(userId, { locale: 'sv-SE' }),
      patch(userId, { marketingOptIn: true }),
    ]);
    for (const res of results) assert.equal(res.statusCode, 200, res.body);
    const row = await rowOf(userId);
    assert.deepEqual([row.currency, row.locale, row.marketing_opt_in], ['SEK', 'sv-SE', true]);
  });

  it('bad values: 400 for shape, 422 for rules, each naming the field; nothing changes', async () => {
    const userId = randomUUID();
    assert.equal((await put(userId, DEFAULTS)).statusCode, 200);
    const stored = await snapshot(f.pool);
    const cases: Array<[unknown, number, string]> = [
      [{ currency: 'XYZ' }, 422, '/currency'], // well-formed, not supported
      [{ currency: 'eur' }, 400, '/currency'],
      [{ locale: 'english' }, 400, '/locale'],
      [{ locale: 'en-GB-x-private' }, 400, '/locale'],
      [{ locale: 'en-GB-oxendict-oxendict' }, 422, '/locale'], // fits the pattern, ICU refuses it
      [{ channels: ['sms'] }, 400, '/channels/0'],
      [{ channels: ['email', 'email'] }, 400, '/channels'],
      [{ channels: 'email' }, 400, '/channels'],
      [{ marketingOptIn: 'yes' }, 400, '/marketingOptIn'],
      [{ marketingOptIn: null }, 400, '/marketingOptIn'],
      [{ theme: 'dark' }, 400, '/theme'],
    ];
    for (const [body, status, field] of cases) {
      const res = await patch(userId, body);
      const problem = assertProblem(res, status);
      assert.ok(
        problem.errors?.some((e) => e.field === field),
        `${JSON.stringify(body)} names ${field}: ${res.body}`,
      );
    }
    assertProblem(await patch(userId, {}), 400, 'validation_failed');
    const full = await put(userId, { ...DEFAULTS, currency: 'XYZ', locale: 'xx-invalid-' });
    assertProblem(full, 400);
    assert.equal(await snapshot(f.pool), stored, 'nothing changed');
  });
});
