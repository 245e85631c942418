// The gateway as one app: routing, identity at the edge, header shaping, limits, cache, canary,
// transforms, errors, access log and metrics, against real upstreams and real tokens.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startRedis, TestTokenIssuer, testRedisUrl } from '@shopnow/testkit';
import { request } from 'undici';
import {
  type GatewayFixture,
  RATE_LIMITS,
  route,
  startGateway,
  startUpstream,
  type Upstream,
} from './gateway-helpers.ts';

async function call(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const res = await request(`${base}${path}`, {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers,
    body: init.body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the gateway in front of real upstreams', () => {
  let echo: Upstream;
  let canary: Upstream;
  let gw: GatewayFixture;
  let issuer: TestTokenIssuer;

  before(async () => {
    echo = await startUpstream();
    canary = await startUpstream();
    issuer = await TestTokenIssuer.create();
    gw = await startGateway({
      issuer,
      services: { echo: [echo.url], 'echo-canary': [canary.url] },
      table: {
        upstreams: { echo: { service: 'echo' }, canary: { service: 'echo-canary' } },
        routes: [
          route('login', '/api/login', '/login', {
            match: { path: '/api/login', methods: ['POST'] },
            rateLimit: ['login'],
          }),
          route('mine', '/api/mine/**', '/mine/**', { auth: 'user' }),
          route('admin', '/api/admin/**', '/admin/**', { auth: { roles: ['admin'] } }),
          route('cached', '/api/cached/**', '/cached/**', {
            match: { path: '/api/cached/**', methods: ['GET', 'HEAD'] },
            cache: { ttlSeconds: 30, tags: ['things'] },
          }),
          route('split', '/api/split', '/split', {
            upstream: [
              { upstream: 'echo', weight: 90 },
              { upstream: 'canary', weight: 10 },
            ],
            auth: 'user',
          }),
          route('v2', '/api/v2/**', '/**', {
            transform: { response: { headers: { set: { 'api-version': '2' } }, body: { money: 'decimal' } } },
          }),
          route('public', '/api/**', '/**', { match: { path: '/api/**', methods: ['GET', 'HEAD', 'POST'] } }),
        ],
        rateLimits: RATE_LIMITS,
      },
    });
  });
  after(async () => {
    await gw?.close();
    await echo?.close();
    await canary?.close();
  });

  it('rewrites the path and forwards what the gateway vouches for, never what the client claims', async () => {
    const user = randomUUID();
    const token = await issuer.user(user, { roles: ['customer'] });
    echo.arrivals.length = 0;
    const res = await call(gw.url, '/api/mine/orders?limit=2', {
      headers: {
        ...bearer(token),
        'x-user-id': randomUUID(),
        'x-user-roles': 'admin',
        'x-internal-secret': 'x',
        'x-forwarded-for': '6.6.6.6',
        'x-client-ip': '6.6.6.6',
      },
    });
    assert.equal(res.status, 200, res.text);
    const arrival = echo.arrivals.at(-1)!;
    assert.equal(arrival.url, '/mine/orders?limit=2');
    assert.equal(arrival.headers['x-user-id'], user);
    assert.equal(arrival.headers['x-user-roles'], 'customer');
    assert.equal(arrival.headers['x-internal-secret'], undefined);
    assert.equal(arrival.headers['x-client-ip'], '127.0.0.1');
    assert.equal(arrival.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(arrival.headers.authorization, `Bearer ${token}`, 'the service verifies the token again');
    assert.equal(arrival.headers['x-request-id'], res.headers['x-request-id']);
    assert.match(String(arrival.headers.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('an anonymous caller with forged identity headers gets 401 and nothing reaches the service', async () => {
    echo.arrivals.length = 0;
    const res = await call(gw.url, '/api/mine/orders', {
      headers: { 'x-user-id': randomUUID(), 'x-user-roles': 'admin' },
    });
    assert.equal(res.status, 401);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.match(String(res.headers['www-authenticate']), /^Bearer/);
    assert.equal(echo.arrivals.length, 0);
  });

  it('role routes refuse customers (403) and take admins; bad and revoked tokens are 401', async () => {
    const customer = await issuer.user(randomUUID(), { roles: ['customer'] });
    const admin = await issuer.user(randomUUID(), { roles: ['admin'] });
    assert.equal((await call(gw.url, '/api/admin/things', { headers: bearer(customer) })).status, 403);
    assert.equal((await call(gw.url, '/api/admin/things', { headers: bearer(admin) })).status, 200);
    assert.equal((await call(gw.url, '/api/mine/x', { headers: bearer(`${customer}x`) })).status, 401);
    const sessionId = randomUUID();
    const session = await issuer.user(randomUUID(), { sessionId });
    assert.equal((await call(gw.url, '/api/mine/x', { headers: bearer(session) })).status, 200);
    issuer.revokeSession(sessionId);
    assert.equal((await call(gw.url, '/api/mine/x', { headers: bearer(session) })).status, 401);
  });

  it('a free user gets 429 after 100 requests a minute, with RateLimit headers; a premium user does not', async () => {
    const free = await issuer.user(randomUUID(), { tier: 'free' });
    // A token bucket refills continuously (100/min: one token per 0.6 s), so the requests that
    // pass are the 100 of the burst plus what refilled while they were sent.
    const started = Date.now();
    let allowed = 0;
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 150; i++) {
      last = await call(gw.url, '/api/mine/x', { headers: bearer(free) });
      if (last.status !== 200) break;
      allowed += 1;
    }
    const refilled = Math.ceil(((Date.now() - started) / 1000) * (100 / 60));
    assert.ok(allowed >= 100 && allowed <= 100 + refilled, `allowed ${allowed}, refilled ≤ ${refilled}`);
    assert.equal(last!.status, 429);
    assert.match(String(last!.headers['content-type']), /^application\/problem\+json/);
    assert.equal(last!.headers['ratelimit-policy'], '"free";q=100;w=60');
    assert.match(String(last!.headers.ratelimit), /^"free";r=0;t=\d+$/);
    assert.ok(Number(last!.headers['retry-after']) >= 1);

    const premium = await issuer.user(randomUUID(), { tier: 'premium' });
    for (let i = 0; i < 150; i++) {
      const res = await call(gw.url, '/api/mine/x', { headers: bearer(premium) });
      assert.equal(res.status, 200, `request ${i}`);
    }
  });

  it('a strict bucket (login, per IP) applies on top of the caller limit', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await call(gw.url, '/api/login', {
            method: 'POST',
            body: '{}',
            headers: { 'content-type': 'application/json' },
          })
        ).status,
      );
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
  });

  it('100 concurrent identical misses make one upstream request; then HIT, 304, and purge', async () => {
    echo.arrivals.length = 0;
    const path = `/api/cached/${randomUUID()}`;
    echo.delayMs = 300; // every request below arrives while the first fetch is in flight
    const all = await Promise.all(Array.from({ length: 100 }, () => call(gw.url, path)));
    echo.delayMs = 0;
    assert.ok(all.every((res) => res.status === 200));
    assert.equal(echo.arrivals.filter((a) => a.url.startsWith('/cached/')).length, 1);
    const hit = await call(gw.url, path);
    assert.equal(hit.headers['x-cache'], 'HIT');
    const etag = String(hit.headers.etag);
    assert.equal((await call(gw.url, path, { headers: { 'if-none-match': etag } })).status, 304);

    const admin = await issuer.user(randomUUID(), { roles: ['admin'] });
    const purge = await call(gw.url, '/api/admin/gateway/cache/purge', {
      method: 'POST',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      body: JSON.stringify({ tags: ['things'] }),
    });
    assert.equal(purge.status, 204, purge.text);
    assert.equal((await call(gw.url, path)).headers['x-cache'], 'MISS');
  });

  it('a 10% canary receives 10% ± 2% of 5,000 callers, each caller always on the same side', async () => {
    echo.arrivals.length = 0;
    canary.arrivals.length = 0;
    const tokens = await Promise.all(Array.from({ length: 5000 }, () => issuer.user(randomUUID())));
    for (let i = 0; i < tokens.length; i += 100) {
      await Promise.all(
        tokens.slice(i, i + 100).map((token) => call(gw.url, '/api/split', { headers: bearer(token) })),
      );
    }
    const share = canary.arrivals.length / 5000;
    assert.ok(share >= 0.08 && share <= 0.12, `canary share ${share}`);
    const sticky = tokens[0]!;
    const side = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const before = canary.arrivals.length;
      await call(gw.url, '/api/split', { headers: bearer(sticky) });
      side.add(canary.arrivals.length > before ? 'canary' : 'stable');
    }
    assert.equal(side.size, 1);
  });

  it('a versioned route reshapes the body: money as decimal strings', async () => {
    const answer = echo.answer;
    echo.answer = () => ({
      body: {
        id: 'p1',
        price: { amountMinor: 1299, currency: 'EUR' },
        items: [{ price: { amountMinor: 5, currency: 'JPY' } }],
      },
    });
    try {
      const v1 = await call(gw.url, '/api/products/p1');
      const v2 = await call(gw.url, '/api/v2/products/p1');
      assert.deepEqual(v1.json().price, { amountMinor: 1299, currency: 'EUR' });
      assert.deepEqual(v2.json().price, { amount: '12.99', currency: 'EUR' });
      assert.deepEqual(v2.json().items[0].price, { amount: '5', currency: 'JPY' });
      assert.equal(v2.headers['api-version'], '2');
    } finally {
      echo.answer = answer;
    }
  });

  it('paths that try to escape, unknown routes and wrong methods are 4xx problems', async () => {
    for (const path of [
      '/api/products/%2e%2e/%2e%2e/admin',
      '/api/products/..%2Fadmin',
      '/api/products/%2F',
    ]) {
      const res = await call(gw.url, path);
      assert.ok(res.status === 400 || res.status === 404, `${path}: ${res.status}`);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    }
    const missing = await call(gw.url, '/nowhere');
    assert.equal(missing.status, 404);
    const wrong = await call(gw.url, '/api/login', { method: 'GET' });
    assert.ok(wrong.status === 200 || wrong.status === 405); // GET /api/login falls to the public catch-all
    const put = await call(gw.url, '/api/cached/x', { method: 'DELETE' });
    assert.ok([404, 405].includes(put.status));
  });

  it('an upstream that is gone is a 502/503 problem, not a hang or a 500', async () => {
    const down = await startGateway({
      issuer,
      services: { echo: ['http://127.0.0.1:1'] },
      table: {
        upstreams: { echo: { service: 'echo', retries: 0 } },
        routes: [route('all', '/**', '/**')],
        rateLimits: RATE_LIMITS,
      },
    });
    try {
      const res = await call(down.url, '/anything');
      assert.ok([502, 503].includes(res.status), String(res.status));
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    } finally {
      await down.close();
    }
  });

  it('writes one access-log line per request with the edge fields, and never the token', async () => {
    const user = randomUUID();
    const token = await issuer.user(user);
    const res = await call(gw.url, '/api/mine/log-check', { headers: bearer(token) });
    const line = gw.logs.find(
      (l) => l.request_id === res.headers['x-request-id'] && l.msg === 'request completed',
    );
    assert.ok(line, 'a completion line');
    assert.equal(line.route, 'mine');
    assert.equal(line.client_ip, '127.0.0.1');
    assert.equal(line.user_id, user);
    assert.equal(line.upstream, 'echo');
    assert.equal(line.status_code, 200);
    assert.equal(typeof line.upstream_ms, 'number');
    assert.equal(typeof line.ratelimit_remaining, 'number');
    assert.equal(gw.logs.filter((l) => l.request_id === res.headers['x-request-id']).length, 1);
    assert.ok(!JSON.stringify(gw.logs).includes(token), 'the token is never logged');
  });

  it('exposes request, cache, rate-limit and upstream metrics', async () => {
    const res = await call(gw.url, '/metrics');
    assert.equal(res.status, 200);
    for (const name of [
      'http_server_request_duration_seconds_bucket{',
      'gateway_cache_requests_total{',
      'gateway_ratelimit_rejections_total{',
      'gateway_upstream_instance_healthy{',
      'gateway_upstream_breaker_state{',
    ]) {
      assert.ok(res.text.includes(name), name);
    }
    assert.match(res.text, /http_server_request_duration_seconds_count\{[^}]*route="mine"/);
  });

  it('the admin API shows routes and upstreams to admins only', async () => {
    const admin = await issuer.user(randomUUID(), { roles: ['admin'] });
    const customer = await issuer.user(randomUUID());
    assert.equal(
      (await call(gw.url, '/api/admin/gateway/upstreams', { headers: bearer(customer) })).status,
      403,
    );
    assert.equal((await call(gw.url, '/api/admin/gateway/upstreams')).status, 401);
    const upstreams = await call(gw.url, '/api/admin/gateway/upstreams', { headers: bearer(admin) });
    assert.equal(upstreams.status, 200);
    const echoStatus = upstreams.json().items.find((u: { name: string }) => u.name === 'echo');
    assert.equal(echoStatus.breaker, 'closed');
    assert.equal(echoStatus.instances[0].url, echo.url);
    const routes = await call(gw.url, '/api/admin/gateway/routes', { headers: bearer(admin) });
    assert.equal(routes.json().file.routes.length, 7);
  });
});

describe('two gateway replicas sharing Redis', () => {
  it('enforce one limit: the total allowed stays within 5% of it', async (t) => {
    let redisUrl = testRedisUrl();
    const own = redisUrl === undefined ? await startRedis().catch(() => undefined) : undefined;
    redisUrl ??= own?.url;
    if (redisUrl === undefined) return t.skip('redis-server is not installed');
    const echo = await startUpstream();
    const issuer = await TestTokenIssuer.create();
    const table = {
      upstreams: { echo: { service: 'echo' } },
      routes: [route('all', '/**', '/**', { auth: 'user' })],
      rateLimits: RATE_LIMITS,
    };
    const replicas = await Promise.all(
      [0, 1].map(() => startGateway({ issuer, table, services: { echo: [echo.url] }, redisUrl })),
    );
    try {
      const token = await issuer.user(randomUUID(), { tier: 'free' });
      let allowed = 0;
      const requests = Array.from({ length: 200 }, (_, i) =>
        call(replicas[i % 2]!.url, '/x', { headers: bearer(token) }).then((res) => {
          if (res.status === 200) allowed += 1;
          else assert.equal(res.status, 429);
        }),
      );
      await Promise.all(requests);
      assert.ok(allowed >= 95 && allowed <= 105, `allowed ${allowed} of a limit of 100`);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await echo.close();
      await own?.stop();
    }
  });
});
