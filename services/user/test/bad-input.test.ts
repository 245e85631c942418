// Bad input on every route, walked from the app's route table: malformed ids, unknown or
// mistyped fields, oversized values, broken JSON, NUL characters, typo'd query parameters. Each
// is a 4xx application/problem+json (never a 500, never a stack trace), and nothing changes.
import assert from 'node:assert/strict';
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
let admin: TestUser;
let target: TestUser;
before(async () => {
  f = await startUser();
  admin = await createUser(f, { roles: ['admin'] });
  target = await createUser(f);
});
after(async () => {
  await f?.close();
});

/** The service's own routes plus the dead-letter routes it mounts; not health, metrics, docs. */
const apiRoutes = () => f.routes.filter((route) => /^\/(users|admin)\b/.test(route.url));
const hasBody = (method: string) => ['POST', 'PUT', 'PATCH'].includes(method);
const urlFor = (url: string, id: string) => url.replace(':id', id);
const isUserIdRoute = (url: string) => url.includes(':id') && !url.includes('dead-letters');

const BAD_IDS = ['not-a-uuid', '123', "1'; DROP TABLE users;--", `${'0'.repeat(36)}`, 'x'.repeat(90)];

const BAD_BODIES: Array<[string, unknown]> = [
  ['an unknown field', { unknown: true }],
  ['an array', []],
  ['a string', 'text'],
  ['a number', 42],
  ['null', null],
  ['wrong types everywhere', { displayName: 1, roles: 'admin', tier: 7, reason: false }],
  [
    'oversized values',
    { displayName: 'x'.repeat(10_000), reason: 'y'.repeat(10_000), roles: Array(50).fill('admin') },
  ],
  ['a NUL character', { displayName: 'a\u0000b', reason: 'a\u0000b' }],
  [
    'prototype pollution',
    JSON.parse('{"__proto__": {"roles": ["admin"]}, "constructor": {"prototype": {}}}'),
  ],
];

describe('bad input on every route', () => {
  it('covers the routes it should', () => {
    const keys = apiRoutes().map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'GET /users/me',
      'PATCH /users/me',
      'GET /users/:id',
      'GET /admin/users',
      'PUT /admin/users/:id/roles',
      'PUT /admin/users/:id/tier',
      'POST /admin/users/:id/suspend',
      'POST /admin/users/:id/reactivate',
    ]) {
      assert.ok(keys.includes(expected), `${expected} in ${keys.join(', ')}`);
    }
  });

  it('/openapi.json documents every route of this service', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200, res.body);
    const paths = Object.keys(res.json().paths);
    for (const route of apiRoutes()) {
      assert.ok(paths.includes(route.url.replace(/:(\w+)/g, '{$1}')), `${route.url} in ${paths.join(', ')}`);
    }
  });

  it('malformed ids are 400 problems on every :id route and method', async () => {
    const before = await snapshot(f.pool);
    for (const route of apiRoutes().filter((r) => r.url.includes(':id'))) {
      for (const id of BAD_IDS) {
        const res = await f.app.inject({
          method: route.method as 'GET',
          url: urlFor(route.url, encodeURIComponent(id)),
          headers: admin.headers,
          ...(hasBody(route.method) ? { payload: {} } : {}),
        });
        // Over maxParamLength (100) matches no route at all: 404, still a problem.
        assert.ok(
          [400, 404].includes(res.statusCode),
          `${route.method} ${route.url} ${id}: ${res.statusCode} ${res.body}`,
        );
        assertProblem(res, res.statusCode);
      }
    }
    assert.equal(await snapshot(f.pool), before);
  });

  it('bad bodies are 4xx problems on every route that takes one', async () => {
    const before = await snapshot(f.pool);
    let tried = 0;
    for (const route of apiRoutes().filter((r) => hasBody(r.method))) {
      for (const [what, body] of BAD_BODIES) {
        const res = await f.app.inject({
          method: route.method as 'POST',
          url: urlFor(route.url, isUserIdRoute(route.url) ? target.id : '1'),
          headers: { ...admin.headers, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        tried += 1;
        assert.ok(
          res.statusCode >= 400 && res.statusCode < 500,
          `${route.method} ${route.url} ${what}: ${res.body}`,
        );
        assertProblem(res, res.statusCode);
      }
      for (const [what, payload, type] of [
        ['broken JSON', '{"roles": [', 'application/json'],
        ['a form', 'roles=admin', 'application/x-www-form-urlencoded'],
        ['over the body limit', `{"reason":"${'z'.repeat(1_100_000)}"}`, 'application/json'],
      ] as const) {
        const res = await f.app.inject({
          method: route.method as 'POST',
          url: urlFor(route.url, isUserIdRoute(route.url) ? target.id : '1'),
          headers: { ...admin.headers, 'content-type': type },
          payload,
        });
        assert.ok(
          res.statusCode >= 400 && res.statusCode < 500,
          `${route.method} ${route.url} ${what}: ${res.statusCode}`,
        );
        assertProblem(res, res.statusCode);
      }
    }
    assert.ok(tried >= 5 * BAD_BODIES.length);
    assert.equal(await snapshot(f.pool), before);
  });

  it("a typo'd query parameter is a 400 on every route of this service", async () => {
    for (const route of apiRoutes().filter((r) => !r.url.includes('dead-letters'))) {
      const res = await f.app.inject({
        method: route.method as 'GET',
        url: `${urlFor(route.url, target.id)}?bogus=1`,
        headers: admin.headers,
        ...(hasBody(route.method) ? { payload: {} } : {}),
      });
      assertProblem(res, 400);
    }
  });

  it('a bad Idempotency-Key is a 400 on every write', async () => {
    for (const route of apiRoutes().filter((r) => hasBody(r.method) && !r.url.includes('dead-letters'))) {
      const res = await f.app.inject({
        method: route.method as 'POST',
        url: urlFor(route.url, target.id),
        headers: { ...admin.headers, 'idempotency-key': 'has spaces and ✓' },
        payload: {},
      });
      assertProblem(res, 400);
    }
  });
});
