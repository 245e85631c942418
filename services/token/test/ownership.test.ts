// User B against user A's sessions and API keys: every route of the service that takes an id, with
// every method it answers, tried with B's token and A's ids (the route list comes from the route
// table, not from this file). Each answer is 403 or 404, and A's sessions and keys are unchanged.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { HTTPMethods } from 'fastify';
import { bearer, type Pair, startToken, type TokenFixture } from './helpers.ts';

interface Route {
  url: string;
  methods: HTTPMethods[];
}

const routes: Route[] = [];
let f: TokenFixture;
let alice: Pair;
let bob: Pair;
let aliceKeyId: string;

before(async () => {
  f = await startToken({
    onRoute: (route) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]) as HTTPMethods[];
      routes.push({ url: route.url ?? route.path ?? '', methods });
    },
  });
  const aliceId = randomUUID();
  // A premium subject, so that she may hold an API key.
  await f.pool.query(
    `insert into subjects (user_id, roles, tier, status, updated_at) values ($1, '{customer}', 'premium', 'active', now())`,
    [aliceId],
  );
  alice = await f.login(aliceId);
  bob = await f.login();
  const key = await f.app.inject({
    method: 'POST',
    url: '/api-keys',
    headers: bearer(alice.accessToken),
    payload: { name: 'alice', scopes: ['orders:read'] },
  });
  assert.equal(key.statusCode, 201, key.body);
  aliceKeyId = key.json().id;
});

after(() => f.close());

/** Alice's ids for a route's parameters: every combination worth trying. */
function aliceUrls(url: string): string[] {
  const values: Record<string, string[]> = {
    id: [alice.sessionId, aliceKeyId],
    userId: [alice.userId],
  };
  let urls = [url];
  for (const [, name] of url.matchAll(/:(\w+)/g)) {
    const candidates = values[name as string] ?? [alice.sessionId];
    urls = urls.flatMap((u) => candidates.map((value) => u.replace(`:${name}`, value)));
  }
  return urls;
}

async function aliceState() {
  const sessions = await f.pool.query('select id, revoked_at from sessions where user_id = $1 order by id', [
    alice.userId,
  ]);
  const keys = await f.pool.query('select id, revoked_at from api_keys where user_id = $1 order by id', [
    alice.userId,
  ]);
  return { sessions: sessions.rows, keys: keys.rows };
}

describe('user B against user A', () => {
  it('the route table holds the routes that take an id of a session, a key or a user', () => {
    const withIds = routes.filter((route) => route.url.includes(':')).map((route) => route.url);
    for (const expected of ['/sessions/:id', '/api-keys/:id', '/admin/users/:userId/sessions/revoke']) {
      assert.ok(withIds.includes(expected), `${expected} in ${withIds.join(', ')}`);
    }
  });

  it('every route and method with an id answers 403 or 404, and nothing of A changes', async () => {
    const before = await aliceState();
    let tried = 0;
    for (const route of routes.filter((r) => r.url.includes(':'))) {
      for (const method of route.methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS')) {
        for (const url of aliceUrls(route.url)) {
          const res = await f.app.inject({
            method,
            url,
            headers: bearer(bob.accessToken),
            ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
          });
          assert.ok([403, 404].includes(res.statusCode), `${method} ${url}: ${res.statusCode} ${res.body}`);
          tried++;
        }
      }
    }
    assert.ok(tried >= 4, `tried ${tried} requests`);
    assert.deepEqual(await aliceState(), before);
  });

  it("B's lists show only B's sessions and keys", async () => {
    const sessions = await f.app.inject({
      method: 'GET',
      url: '/sessions',
      headers: bearer(bob.accessToken),
    });
    assert.equal(sessions.statusCode, 200);
    assert.deepEqual(
      sessions.json().items.map((s: { id: string }) => s.id),
      [bob.sessionId],
    );
    const keys = await f.app.inject({ method: 'GET', url: '/api-keys', headers: bearer(bob.accessToken) });
    assert.equal(keys.statusCode, 200);
    assert.deepEqual(keys.json().items, []);
  });
});
