// No IDOR: user B, signed in as a customer, tries every route that takes a user id (collected
// from the app's route table with Fastify's onRoute hook, so a new route is covered the day it
// is added) with every method, against user A's id. Each answer is the one an unknown id gets
// (404; 403 on /admin routes, which B may not use at all), so A's id is not even confirmed, and
// A's record and the outbox are untouched.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createUser, snapshot, startUser, type TestUser, type UserFixture } from './helpers.ts';

let f: UserFixture;
let a: TestUser;
let b: TestUser;
before(async () => {
  f = await startUser();
  a = await createUser(f, { displayName: 'Alice' });
  b = await createUser(f, { displayName: 'Bob' });
});
after(async () => {
  await f?.close();
});

/** A body each registered route accepts, so validation cannot be what refuses B. */
const VALID_BODIES: Record<string, unknown> = {
  'GET /users/:id': undefined,
  'PUT /admin/users/:id/roles': { roles: ['customer', 'admin'] },
  'PUT /admin/users/:id/tier': { tier: 'enterprise' },
  'POST /admin/users/:id/suspend': { reason: 'taking over' },
  'POST /admin/users/:id/reactivate': {},
};
const METHODS = ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'] as const;

const userIdRoutes = () =>
  f.routes.filter((route) => route.url.includes(':id') && /^\/(admin\/)?users\//.test(route.url));

describe('user B against user A', () => {
  it('the route table holds every user-id route the service has', () => {
    const found = userIdRoutes().map((route) => `${route.method} ${route.url}`);
    assert.deepEqual(found.sort(), Object.keys(VALID_BODIES).sort());
  });

  it('every route and method answers as for an unknown id (404, 403 on /admin), and nothing changes', async () => {
    const before = await snapshot(f.pool);
    const paths = [...new Set(userIdRoutes().map((route) => route.url))];
    let tried = 0;
    for (const path of paths) {
      for (const method of METHODS) {
        const key = `${method} ${path}`;
        const registered = key in VALID_BODIES;
        const request = (id: string) =>
          f.app.inject({
            method,
            url: path.replace(':id', id),
            headers: b.headers,
            ...(registered && VALID_BODIES[key] !== undefined
              ? { payload: VALID_BODIES[key] as object }
              : {}),
          });
        const onA = await request(a.id);
        const onNobody = await request(randomUUID());
        tried += 1;
        const expected = path.startsWith('/admin/') && registered ? 403 : 404;
        assert.equal(onA.statusCode, expected, `${key}: ${onA.body}`);
        assert.match(String(onA.headers['content-type']), /^application\/problem\+json/, key);
        assert.equal(onA.statusCode, onNobody.statusCode, `${key}: A's id is not confirmed`);
        assert.equal(onA.json().code, onNobody.json().code, `${key}: A's id is not confirmed`);
        assert.doesNotMatch(onA.body, /Alice/, key);
      }
    }
    assert.ok(tried >= paths.length * METHODS.length && tried > 0);
    assert.equal(await snapshot(f.pool), before);
  });

  it("B's /users/me routes only ever touch B", async () => {
    const res = await f.app.inject({
      method: 'PATCH',
      url: '/users/me',
      headers: { ...b.headers, 'x-user-id': a.id },
      payload: { displayName: 'Bob Again' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().id, b.id);
    const { rows } = await f.pool.query('SELECT display_name FROM users WHERE id = $1', [a.id]);
    assert.equal(rows[0].display_name, 'Alice');
  });
});
