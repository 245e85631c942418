// Admin user management on real Postgres: the list (search, filters, cursor paging), roles, tier,
// suspension and reactivation with their events in the outbox (in the change's transaction; a
// no-op publishes nothing), who may do what (support reads, customers get 403), and the
// self-protection rules.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  assertProblem,
  createUser,
  outboxEvents,
  snapshot,
  startUser,
  type TestUser,
  type UserFixture,
} from './helpers.ts';

let f: UserFixture;
let admin: TestUser;
let support: TestUser;
let customer: TestUser;
before(async () => {
  f = await startUser();
  admin = await createUser(f, { roles: ['customer', 'admin'], displayName: 'Ada Admin' });
  support = await createUser(f, { roles: ['support'], displayName: 'Sam Support' });
  customer = await createUser(f, { displayName: 'Carl Customer' });
});
after(async () => {
  await f?.close();
});

const send = (method: 'GET' | 'PUT' | 'POST', url: string, who: TestUser, payload?: unknown) =>
  f.app.inject({
    method,
    url,
    headers: who.headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

describe('GET /admin/users', () => {
  const tag = randomUUID().slice(0, 8);
  const made: TestUser[] = [];
  before(async () => {
    for (let i = 0; i < 7; i += 1) {
      made.push(
        await createUser(f, {
          email: `pager-${tag}-${i}@example.com`,
          displayName: i % 2 === 0 ? `Even ${tag}` : `Odd ${tag}`,
          tier: i === 3 ? 'premium' : 'free',
        }),
      );
    }
    await f.pool.query(`UPDATE users SET display_name = 'Wild 100%_\\ card' WHERE id = $1`, [made[6]?.id]);
  });

  const list = async (query: string, who: TestUser = admin) => {
    const res = await send('GET', `/admin/users?${query}`, who);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as {
      items: Array<{ id: string; email: string; tier: string }>;
      nextCursor: string | null;
    };
  };

  it('pages through every match, newest first, without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`q=pager-${tag}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    assert.equal(pages, 3);
    assert.deepEqual(seen, made.map((u) => u.id).reverse());
  });

  it('searches email or display name by substring, case-insensitively', async () => {
    assert.equal((await list(`q=PAGER-${tag}-4`)).items.length, 1);
    assert.equal((await list(`q=even ${tag}`)).items.length, 3);
    assert.equal((await list(`q=${tag.toUpperCase()}`)).items.length, 7);
    assert.deepEqual(
      (await list('q=Sam Supp')).items.map((u) => u.id),
      [support.id],
    );
  });

  it('treats LIKE wildcards in the search as literal characters', async () => {
    assert.deepEqual(
      (await list(`q=${encodeURIComponent('100%_\\')}`)).items.map((u) => u.id),
      [made[6]?.id],
    );
    assert.equal((await list(`q=${encodeURIComponent('%')}`)).items.length, 1);
    assert.equal((await list('q=_')).items.length, 1);
  });

  it('filters by role, tier and status', async () => {
    assert.deepEqual(
      (await list('role=admin')).items.map((u) => u.id),
      [admin.id],
    );
    assert.deepEqual(
      (await list(`q=${tag}&tier=premium`)).items.map((u) => u.id),
      [made[3]?.id],
    );
    assert.equal((await list(`q=${tag}&status=suspended`)).items.length, 0);
  });

  it('support may read it; a customer gets 403; no token 401', async () => {
    assert.ok((await list(`q=${tag}`, support)).items.length > 0);
    assertProblem(await send('GET', '/admin/users', customer), 403);
    assertProblem(await f.app.inject({ method: 'GET', url: '/admin/users' }), 401);
  });

  it('refuses bad paging and filters with 400', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=x',
      'role=root',
      'tier=gold',
      'status=gone',
      'bogus=1',
      'q=',
    ]) {
      assertProblem(await send('GET', `/admin/users?${query}`, admin), 400);
    }
    assertProblem(await send('GET', '/admin/users?cursor=garbage!', admin), 400, 'user.invalid_cursor');
    const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'])).toString('base64url');
    assertProblem(await send('GET', `/admin/users?cursor=${forged}`, admin), 400, 'user.invalid_cursor');
  });
});

describe('GET /users/:id', () => {
  it('answers the user themself, support and admin', async () => {
    for (const who of [customer, support, admin]) {
      const res = await send('GET', `/users/${customer.id}`, who);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().id, customer.id);
    }
  });
  it('is a 404 for an unknown id, even for admin', async () => {
    assertProblem(await send('GET', `/users/${randomUUID()}`, admin), 404, 'user.not_found');
  });
});

describe('PUT /admin/users/:id/roles', () => {
  it('sets the roles and publishes user.roles_changed.v1 with the previous roles', async () => {
    const target = await createUser(f);
    const res = await send('PUT', `/admin/users/${target.id}/roles`, admin, {
      roles: ['support', 'customer'],
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().roles, ['customer', 'support']);
    assert.deepEqual(await outboxEvents(f.pool, target.id), [
      {
        type: 'user.roles_changed.v1',
        data: { userId: target.id, roles: ['customer', 'support'], previousRoles: ['customer'] },
      },
    ]);
  });

  it('the same set again is a no-op: 200, nothing written, nothing published', async () => {
    const target = await createUser(f);
    const before = await snapshot(f.pool);
    const res = await send('PUT', `/admin/users/${target.id}/roles`, admin, {
      roles: ['customer', 'customer'],
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(await snapshot(f.pool), before);
  });

  it('refuses an empty set or unknown roles', async () => {
    const target = await createUser(f);
    assertProblem(await send('PUT', `/admin/users/${target.id}/roles`, admin, { roles: [] }), 400);
    assertProblem(await send('PUT', `/admin/users/${target.id}/roles`, admin, { roles: ['root'] }), 400);
    assert.deepEqual(await outboxEvents(f.pool, target.id), []);
  });

  it('an admin cannot remove their own admin role (409), and nothing changes', async () => {
    const before = await snapshot(f.pool);
    assertProblem(
      await send('PUT', `/admin/users/${admin.id}/roles`, admin, { roles: ['customer'] }),
      409,
      'user.cannot_demote_self',
    );
    assert.equal(await snapshot(f.pool), before);
  });

  it('another admin may demote an admin', async () => {
    const second = await createUser(f, { roles: ['admin'] });
    const res = await send('PUT', `/admin/users/${second.id}/roles`, admin, { roles: ['customer'] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().roles, ['customer']);
  });
});

describe('PUT /admin/users/:id/tier', () => {
  it('sets the tier and publishes user.tier_changed.v1; the same tier again publishes nothing', async () => {
    const target = await createUser(f);
    const res = await send('PUT', `/admin/users/${target.id}/tier`, admin, { tier: 'enterprise' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().tier, 'enterprise');
    const again = await send('PUT', `/admin/users/${target.id}/tier`, admin, { tier: 'enterprise' });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(await outboxEvents(f.pool, target.id), [
      { type: 'user.tier_changed.v1', data: { userId: target.id, tier: 'enterprise', previousTier: 'free' } },
    ]);
  });
});

describe('suspension', () => {
  it('suspend publishes user.suspended.v1; reactivate publishes user.reactivated.v1', async () => {
    const target = await createUser(f);
    const suspended = await send('POST', `/admin/users/${target.id}/suspend`, admin, {
      reason: ' chargeback fraud ',
    });
    assert.equal(suspended.statusCode, 200, suspended.body);
    assert.equal(suspended.json().status, 'suspended');
    assert.equal(suspended.json().suspendedReason, 'chargeback fraud');

    assertProblem(
      await send('POST', `/admin/users/${target.id}/suspend`, admin, { reason: 'again' }),
      409,
      'user.not_active',
    );

    const reactivated = await send('POST', `/admin/users/${target.id}/reactivate`, admin);
    assert.equal(reactivated.statusCode, 200, reactivated.body);
    assert.equal(reactivated.json().status, 'active');
    assert.equal(reactivated.json().suspendedReason, null);

    assertProblem(
      await send('POST', `/admin/users/${target.id}/reactivate`, admin),
      409,
      'user.not_suspended',
    );

    assert.deepEqual(await outboxEvents(f.pool, target.id), [
      { type: 'user.suspended.v1', data: { userId: target.id, reason: 'chargeback fraud' } },
      { type: 'user.reactivated.v1', data: { userId: target.id } },
    ]);
  });

  it('an admin cannot suspend themselves', async () => {
    assertProblem(
      await send('POST', `/admin/users/${admin.id}/suspend`, admin, { reason: 'testing' }),
      409,
      'user.cannot_suspend_self',
    );
    assert.deepEqual(await outboxEvents(f.pool, admin.id), []);
  });

  it('refuses a blank reason', async () => {
    const target = await createUser(f);
    assertProblem(
      await send('POST', `/admin/users/${target.id}/suspend`, admin, { reason: '  ' }),
      400,
      'user.blank_reason',
    );
    assertProblem(await send('POST', `/admin/users/${target.id}/suspend`, admin, {}), 400);
  });
});

describe('who may write', () => {
  const writes = (id: string): Array<['PUT' | 'POST', string, unknown]> => [
    ['PUT', `/admin/users/${id}/roles`, { roles: ['admin'] }],
    ['PUT', `/admin/users/${id}/tier`, { tier: 'premium' }],
    ['POST', `/admin/users/${id}/suspend`, { reason: 'because' }],
    ['POST', `/admin/users/${id}/reactivate`, {}],
  ];

  it('support gets 403 on every write route, and nothing changes', async () => {
    const target = await createUser(f);
    const before = await snapshot(f.pool);
    for (const [method, url, body] of writes(target.id))
      assertProblem(await send(method, url, support, body), 403);
    // Support cannot write even about themselves.
    for (const [method, url, body] of writes(support.id))
      assertProblem(await send(method, url, support, body), 403);
    assert.equal(await snapshot(f.pool), before);
  });

  it('a customer gets 403 on every admin route, even about themselves; no token gets 401', async () => {
    const before = await snapshot(f.pool);
    for (const [method, url, body] of writes(customer.id)) {
      assertProblem(await send(method, url, customer, body), 403);
      assertProblem(await f.app.inject({ method, url, payload: body as object }), 401);
    }
    assertProblem(await send('GET', '/admin/events/dead-letters', customer), 403);
    assert.equal(await snapshot(f.pool), before);
  });

  it('an admin demoted or suspended since their token was minted gets 403, and nothing changes', async () => {
    const target = await createUser(f);
    const demoted = await createUser(f, { roles: ['admin'] });
    const suspended = await createUser(f, { roles: ['admin'] });
    assert.equal(
      (await send('PUT', `/admin/users/${demoted.id}/roles`, admin, { roles: ['customer'] })).statusCode,
      200,
    );
    assert.equal(
      (await send('POST', `/admin/users/${suspended.id}/suspend`, admin, { reason: 'left the company' }))
        .statusCode,
      200,
    );
    const before = await snapshot(f.pool);
    for (const stale of [demoted, suspended]) {
      // Their tokens still say admin: only this service's records know better.
      for (const [method, url, body] of writes(target.id))
        assertProblem(await send(method, url, stale, body), 403);
    }
    assert.equal(await snapshot(f.pool), before);
  });

  it('an unknown user is a 404 on every write route', async () => {
    const before = await snapshot(f.pool);
    for (const [method, url, body] of writes(randomUUID()))
      assertProblem(await send(method, url, admin, body), 404, 'user.not_found');
    assert.equal(await snapshot(f.pool), before);
  });
});
