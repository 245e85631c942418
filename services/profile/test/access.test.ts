// Who may do what, walked over the route table as the app registered it (onRoute), never a
// hand-picked list: a stranger gets the same 404 on every route and method whether or not the
// user or address exists; support reads but every write is 403; admin reads and writes anyone's;
// a service token reads but may not write; no token is a 401. Refused writes change nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  addAddress,
  assertProblem,
  asUser,
  bearer,
  isWrite,
  type ProfileFixture,
  pathFor,
  profileRoutes,
  type RegisteredRoute,
  snapshot,
  startProfile,
  validBodyFor,
} from './helpers.ts';

let f: ProfileFixture;
const owner = randomUUID();
let ownerAddress: string;

before(async () => {
  f = await startProfile();
  ownerAddress = (await addAddress(f, owner)).id;
  await f.app.inject({ method: 'GET', url: '/profiles/me/preferences', headers: await asUser(f, owner) });
});
after(() => f?.close());

const describeRoute = (r: RegisteredRoute) => `${r.method} ${r.url}`;

async function call(
  route: RegisteredRoute,
  headers: Record<string, string>,
  userId: string,
  addressId: string,
) {
  const payload = validBodyFor(route);
  return f.app.inject({
    method: route.method,
    url: pathFor(route.url, userId, addressId),
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
}

/** The problem without what differs per request. */
function comparable(body: string): unknown {
  const { request_id: _r, instance: _i, ...rest } = JSON.parse(body);
  return rest;
}

describe('access to /profiles', () => {
  it('the route table holds every profile route (so the walks below cover them)', () => {
    const seen = new Set(
      profileRoutes(f)
        .filter((r) => r.method !== 'HEAD')
        .map(describeRoute),
    );
    for (const expected of [
      'GET /profiles/:userId/preferences',
      'PUT /profiles/:userId/preferences',
      'PATCH /profiles/:userId/preferences',
      'GET /profiles/:userId/addresses',
      'POST /profiles/:userId/addresses',
      'GET /profiles/:userId/addresses/:addressId',
      'PATCH /profiles/:userId/addresses/:addressId',
      'DELETE /profiles/:userId/addresses/:addressId',
      'POST /profiles/:userId/addresses/:addressId/default-shipping',
      'POST /profiles/:userId/addresses/:addressId/default-billing',
    ]) {
      assert.ok(seen.has(expected), `${expected} is registered`);
    }
  });

  it('the OpenAPI document describes every profile route', async () => {
    const res = await f.app.inject({ url: '/openapi.json' });
    assert.equal(res.statusCode, 200, res.body);
    const paths = res.json().paths as Record<string, Record<string, unknown>>;
    for (const route of profileRoutes(f).filter((r) => r.method !== 'HEAD')) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      assert.ok(paths[path]?.[route.method.toLowerCase()], `${describeRoute(route)} is documented`);
    }
  });

  it('another user gets the same 404 on every route and method, for an existing or unknown user', async () => {
    const before = await snapshot(f.pool);
    const stranger = await asUser(f, randomUUID());
    for (const route of profileRoutes(f)) {
      const existing = await call(route, stranger, owner, ownerAddress);
      assertProblem(existing, 404, route.method === 'HEAD' ? undefined : 'profile.not_found');
      const unknown = await call(route, stranger, randomUUID(), randomUUID());
      assertProblem(unknown, 404);
      if (route.method !== 'HEAD') {
        assert.deepEqual(comparable(existing.body), comparable(unknown.body), describeRoute(route));
      }
      // Even a body that would be refused gets the 404: access is decided before the body is read.
      if (isWrite(route.method)) {
        const bad = await f.app.inject({
          method: route.method,
          url: pathFor(route.url, owner, ownerAddress),
          headers: { ...stranger, 'content-type': 'application/json' },
          payload: '{"not json',
        });
        assertProblem(bad, 404, 'profile.not_found');
      }
    }
    assert.equal(await snapshot(f.pool), before, 'nothing changed');
  });

  it('an uppercase or malformed user id from a stranger is a 404 too; the owner may use either case', async () => {
    const stranger = await asUser(f, randomUUID());
    for (const id of ['not-a-uuid', owner.toUpperCase()]) {
      const res = await f.app.inject({ url: `/profiles/${id}/addresses`, headers: stranger });
      assertProblem(res, 404, 'profile.not_found');
    }
    const mine = await f.app.inject({
      url: `/profiles/${owner.toUpperCase()}/addresses`,
      headers: await asUser(f, owner),
    });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.equal(mine.json().items.length, 1);
  });

  it('no token is a 401 on every route; a forged X-User-ID changes nothing', async () => {
    for (const route of profileRoutes(f)) {
      const res = await call(route, { 'x-user-id': owner }, owner, ownerAddress);
      assertProblem(res, 401);
    }
  });

  it('support reads anyone (200) and every write to another user is 403, changing nothing', async () => {
    const before = await snapshot(f.pool);
    const support = await asUser(f, randomUUID(), ['support']);
    for (const route of profileRoutes(f)) {
      const res = await call(route, support, owner, ownerAddress);
      if (isWrite(route.method)) assertProblem(res, 403, 'profile.read_only');
      else assert.equal(res.statusCode, 200, `${describeRoute(route)}: ${res.body}`);
    }
    assert.equal(await snapshot(f.pool), before, 'nothing changed');
  });

  it('support may still change their own profile', async () => {
    const agent = randomUUID();
    const res = await f.app.inject({
      method: 'PATCH',
      url: '/profiles/me/preferences',
      headers: await asUser(f, agent, ['support']),
      payload: { currency: 'USD' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().userId, agent);
  });

  it('a service token reads (200) and every write is 403; `me` means nothing for a service', async () => {
    const before = await snapshot(f.pool);
    const service = bearer(await f.issuer.service('order'));
    for (const route of profileRoutes(f)) {
      const res = await call(route, service, owner, ownerAddress);
      if (isWrite(route.method)) assertProblem(res, 403, 'profile.read_only');
      else assert.equal(res.statusCode, 200, `${describeRoute(route)}: ${res.body}`);
    }
    const me = await f.app.inject({ url: '/profiles/me/addresses', headers: service });
    assertProblem(me, 404, 'profile.not_found');
    assert.equal(await snapshot(f.pool), before, 'nothing changed');
  });

  it('admin reads and writes anyone on every route', async () => {
    const admin = await asUser(f, randomUUID(), ['admin']);
    const user = randomUUID();
    for (const route of profileRoutes(f)) {
      // A fresh address per route, so a DELETE earlier in the walk cannot affect a later route.
      const address = (await addAddress(f, user)).id;
      const res = await call(route, admin, user, address);
      assert.ok(
        res.statusCode >= 200 && res.statusCode < 300,
        `${describeRoute(route)}: ${res.statusCode} ${res.body}`,
      );
    }
    const prefs = await f.app.inject({ url: `/profiles/${user}/preferences`, headers: admin });
    assert.equal(prefs.json().locale, 'de-DE', 'the PATCH of the walk was stored');
  });

  it('a revoked session is refused everywhere, even for the owner', async () => {
    const sid = randomUUID();
    const token = await f.issuer.user(owner, { sessionId: sid });
    f.issuer.revokeSession(sid);
    const res = await f.app.inject({ url: '/profiles/me/preferences', headers: bearer(token) });
    assertProblem(res, 401);
  });
});
