// Self-service on real Postgres: a user reads their record and changes their display name, and
// nothing else. A body that tries to set roles, tier, status, email or id is a 400 and changes
// nothing (mass assignment).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  assertProblem,
  createUser,
  snapshot,
  startUser,
  type TestUser,
  type UserFixture,
} from './helpers.ts';

let f: UserFixture;
let alice: TestUser;
before(async () => {
  f = await startUser();
  alice = await createUser(f, { displayName: 'Alice' });
});
after(async () => {
  await f?.close();
});

const patchMe = (body: unknown, headers = alice.headers) =>
  f.app.inject({ method: 'PATCH', url: '/users/me', headers, payload: body as object });

describe('GET /users/me', () => {
  it("answers the caller's own record", async () => {
    const res = await f.app.inject({ method: 'GET', url: '/users/me', headers: alice.headers });
    assert.equal(res.statusCode, 200, res.body);
    const me = res.json();
    assert.equal(me.id, alice.id);
    assert.equal(me.email, alice.email);
    assert.equal(me.displayName, 'Alice');
    assert.deepEqual(me.roles, ['customer']);
    assert.equal(me.tier, 'free');
    assert.equal(me.status, 'active');
    assert.equal(me.suspendedReason, null);
  });

  it('needs a token: 401 without one, 403 for a service token', async () => {
    assertProblem(await f.app.inject({ method: 'GET', url: '/users/me' }), 401);
    const service = await f.issuer.service('order');
    assertProblem(
      await f.app.inject({
        method: 'GET',
        url: '/users/me',
        headers: { authorization: `Bearer ${service}` },
      }),
      403,
    );
  });

  it('is a 404 for an account whose registration has not arrived yet', async () => {
    const token = await f.issuer.user(randomUUID());
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/users/me', headers: { authorization: `Bearer ${token}` } }),
      404,
      'user.not_found',
    );
  });

  it('ignores forged identity headers: the token says who is calling', async () => {
    const bob = await createUser(f);
    const res = await f.app.inject({
      method: 'GET',
      url: '/users/me',
      headers: { ...alice.headers, 'x-user-id': bob.id, 'x-user-roles': 'admin' },
    });
    assert.equal(res.json().id, alice.id);
  });
});

describe('PATCH /users/me', () => {
  it('changes the display name (trimmed) and nothing else; publishes nothing', async () => {
    const res = await patchMe({ displayName: '  Alice Liddell ' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().displayName, 'Alice Liddell');
    const me = (await f.app.inject({ method: 'GET', url: '/users/me', headers: alice.headers })).json();
    assert.equal(me.displayName, 'Alice Liddell');
    assert.deepEqual(me.roles, ['customer']);
    const { rows } = await f.pool.query('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [
      alice.id,
    ]);
    assert.equal(rows[0].n, 0);
  });

  const attempts: Array<[string, unknown]> = [
    ['roles', { roles: ['admin'] }],
    ['tier', { tier: 'enterprise' }],
    ['status', { status: 'active' }],
    ['email', { email: 'mallory@example.com' }],
    ['id', { id: randomUUID() }],
    ['suspendedReason', { suspendedReason: null }],
  ];
  for (const [field, extra] of attempts) {
    it(`refuses ${field} in the body (mass assignment) with 400 and changes nothing`, async () => {
      const before = await snapshot(f.pool);
      for (const body of [extra, { displayName: 'Mallory', ...(extra as object) }]) {
        const problem = assertProblem(await patchMe(body), 400);
        assert.ok(
          JSON.stringify(problem).includes(field),
          `the problem names the field ${field}: ${JSON.stringify(problem)}`,
        );
      }
      assert.equal(await snapshot(f.pool), before);
    });
  }

  it('refuses a blank, oversized, non-string or missing display name', async () => {
    const before = await snapshot(f.pool);
    assertProblem(await patchMe({ displayName: '   ' }), 400, 'user.blank_display_name');
    assertProblem(await patchMe({ displayName: '' }), 400);
    assertProblem(await patchMe({ displayName: 'x'.repeat(101) }), 400);
    assertProblem(await patchMe({ displayName: 42 }), 400);
    assertProblem(await patchMe({ displayName: 'a\u0000b' }), 400);
    assertProblem(await patchMe({}), 400);
    assertProblem(await patchMe([]), 400);
    assertProblem(
      await f.app.inject({
        method: 'PATCH',
        url: '/users/me',
        headers: { ...alice.headers, 'content-type': 'application/json' },
        payload: '{"displayName":',
      }),
      400,
    );
    assert.equal(await snapshot(f.pool), before);
  });

  it('with an Idempotency-Key, a repeat answers the first result', async () => {
    const headers = { ...alice.headers, 'idempotency-key': 'rename-1' };
    const first = await patchMe({ displayName: 'Alice One' }, headers);
    assert.equal(first.statusCode, 200, first.body);
    const again = await patchMe({ displayName: 'Alice One' }, headers);
    assert.equal(again.statusCode, 200);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assertProblem(await patchMe({ displayName: 'Alice Two' }, headers), 422);
  });
});
