import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickUpstream } from '../src/routes/canary.ts';
import { parseRouteTable } from '../src/routes/load-route-table.ts';
import { matchRoute, methodsAllowedFor, type RouteRequest } from '../src/routes/match-route.ts';
import { normalizePath } from '../src/routes/normalize-path.ts';
import { upstreamPath } from '../src/routes/rewrite.ts';

const routes = [
  {
    name: 'v2-header',
    match: { path: '/api/products/**', headers: { 'X-Version': 'v2' } },
    rewrite: '/v2/products/**',
    upstream: 'product-v2',
    auth: 'public',
  },
  {
    name: 'reviews-write',
    match: { path: '/api/products/:id/reviews', methods: ['POST'] },
    rewrite: '/products/:id/reviews',
    upstream: 'product',
    auth: 'user',
  },
  {
    name: 'products',
    match: { path: '/api/products/**', methods: ['GET'] },
    rewrite: '/products/**',
    upstream: 'product',
    auth: 'public',
  },
  {
    name: 'admin-host',
    match: { path: '/**', host: 'Admin.Shop.Example' },
    rewrite: '/admin/**',
    upstream: 'product',
    auth: { roles: ['admin'] },
  },
  {
    name: 'two-params',
    match: { path: '/api/users/:userId/orders/:orderId', methods: ['GET', 'DELETE'] },
    rewrite: '/orders/:orderId/by/:userId',
    upstream: 'product',
    auth: 'user',
  },
  {
    name: 'exact',
    match: { path: '/api/categories', methods: ['GET', 'PUT'] },
    rewrite: '/categories',
    upstream: 'product',
    auth: 'public',
  },
  {
    name: 'canary',
    match: { path: '/api/catalog/**' },
    rewrite: '/catalog/**',
    upstream: [
      { upstream: 'product', weight: 90 },
      { upstream: 'product-v2', weight: 10 },
    ],
    auth: 'public',
  },
  {
    name: 'locked',
    match: { path: '/api/internal' },
    rewrite: '/internal',
    upstream: 'product',
    auth: 'public',
    ipAllow: ['10.0.0.0/8', '::1'],
    ipDeny: ['10.6.6.0/24'],
  },
];

const table = parseRouteTable(
  {
    upstreams: { product: { service: 'product' }, 'product-v2': { service: 'product-v2' } },
    routes,
    rateLimits: { tiers: {}, anonymous: { limit: 10, windowSeconds: 60 } },
  },
  'test-table',
);

function req(method: string, url: string, extra: Partial<RouteRequest> = {}): RouteRequest {
  const n = normalizePath(url);
  assert.ok('path' in n, `bad test url ${url}`);
  return { method, host: 'shop.example', path: n.path, headers: {}, ...extra };
}

function route(method: string, url: string, extra: Partial<RouteRequest> = {}) {
  return matchRoute(table, req(method, url, extra))?.route.name;
}

describe('matchRoute', () => {
  it('matches a `**` prefix at the prefix itself, below it, and with a trailing slash — and not a longer name', () => {
    assert.equal(route('GET', '/api/products'), 'products');
    assert.equal(route('GET', '/api/products/'), 'products');
    assert.equal(route('GET', '/api/products/1/reviews'), 'products');
    assert.equal(route('GET', '/api/productsX'), undefined);
    assert.equal(route('GET', '/api'), undefined);
  });

  it('matches exact paths exactly (no trailing slash, no children)', () => {
    assert.equal(route('GET', '/api/categories'), 'exact');
    assert.equal(route('GET', '/api/categories/'), undefined);
    assert.equal(route('GET', '/api/categories/1'), undefined);
  });

  it('takes the first matching route in table order', () => {
    // reviews-write is listed before products: POST goes there, GET falls through to products.
    assert.equal(route('POST', '/api/products/1/reviews'), 'reviews-write');
    assert.equal(route('GET', '/api/products/1/reviews'), 'products');
    // The header route is first: it wins for any method when the header matches.
    assert.equal(route('GET', '/api/products/1', { headers: { 'x-version': 'v2' } }), 'v2-header');
  });

  it('matches headers exactly, names case-insensitively (table) against lower-case request names', () => {
    assert.equal(route('GET', '/api/products/1', { headers: { 'x-version': 'v1' } }), 'products');
    assert.equal(route('GET', '/api/products/1', { headers: { 'x-version': 'V2' } }), 'products');
    assert.equal(table.routes[0]!.headerMatch[0]![0], 'x-version');
  });

  it('matches host case-insensitively, ignoring the port', () => {
    assert.equal(route('GET', '/anything', { host: 'admin.shop.example:8443' }), 'admin-host');
    assert.equal(route('GET', '/anything', { host: 'ADMIN.shop.example.' }), 'admin-host');
    assert.equal(route('GET', '/anything', { host: 'shop.example' }), undefined);
    assert.equal(route('GET', '/anything', { host: undefined }), undefined);
  });

  it('matches methods, HEAD wherever GET is allowed', () => {
    assert.equal(route('HEAD', '/api/categories'), 'exact');
    assert.equal(route('HEAD', '/api/products/1'), 'products');
    assert.equal(route('DELETE', '/api/categories'), undefined);
    assert.equal(route('PATCH', '/api/catalog/x'), 'canary'); // no methods: any
  });

  it('captures params (decoded) and the `**` rest (as normalised)', () => {
    const m = matchRoute(table, req('GET', '/api/users/u%201/orders/o%3A9'));
    assert.equal(m?.route.name, 'two-params');
    assert.deepEqual(m?.params, { userId: 'u 1', orderId: 'o:9' });
    assert.equal(m?.rest, '');
    const r = matchRoute(table, req('GET', '/api/products/1/reviews/caf%C3%A9'));
    assert.equal(r?.rest, '1/reviews/caf%C3%A9');
    assert.equal(route('GET', '/api/users//orders/1'), undefined); // `//` collapses: no empty param
  });

  it('lists the methods allowed on a path for 405, and none for an unknown path', () => {
    assert.deepEqual(methodsAllowedFor(table, req('', '/api/categories')), ['GET', 'HEAD', 'PUT']);
    assert.deepEqual(methodsAllowedFor(table, req('', '/api/products/1/reviews')), ['GET', 'HEAD', 'POST']);
    assert.deepEqual(methodsAllowedFor(table, req('', '/api/users/1/orders/2')), ['GET', 'HEAD', 'DELETE']);
    assert.deepEqual(methodsAllowedFor(table, req('', '/nope')), []);
  });
});

describe('upstreamPath', () => {
  const rewrite = (method: string, url: string) => {
    const n = normalizePath(url);
    assert.ok('path' in n);
    const m = matchRoute(table, { method, host: 'shop.example', path: n.path, headers: {} });
    assert.ok(m, `no route for ${url}`);
    return upstreamPath(m, n.query);
  };

  it('fills `**`, keeping a trailing slash and the query as sent', () => {
    assert.equal(rewrite('GET', '/api/products'), '/products');
    assert.equal(rewrite('GET', '/api/products/'), '/products/');
    assert.equal(
      rewrite('GET', '/api/products/1/reviews/?page=2&q=a%20b'),
      '/products/1/reviews/?page=2&q=a%20b',
    );
    assert.equal(rewrite('GET', '/api//products/./1/../2'), '/products/2');
    assert.equal(rewrite('GET', '/api/products/1/%2e%2e'), '/products/');
    assert.equal(matchRoute(table, req('GET', '/api/products/%2e%2e')), undefined); // `/api/`: out of the prefix, no route
  });

  it('re-encodes params and can reorder them', () => {
    assert.equal(rewrite('GET', '/api/users/a%20b/orders/x%40y'), '/orders/x%40y/by/a%20b');
    assert.equal(rewrite('POST', '/api/products/%C3%A9/reviews?x=1'), '/products/%C3%A9/reviews?x=1');
  });

  it('maps a root catch-all to the target root', () => {
    const m = matchRoute(table, { method: 'GET', host: 'admin.shop.example', path: '/', headers: {} });
    assert.ok(m);
    assert.equal(upstreamPath(m, ''), '/admin');
  });
});

describe('pickUpstream', () => {
  const canary = table.routesByName.get('canary')!;

  it('sends 10% ± 2% of 5,000 distinct callers to the 10% side, the same caller always to the same side', () => {
    let v2 = 0;
    for (let i = 0; i < 5000; i++) {
      const key = `user-${i}`;
      const side = pickUpstream(canary, key);
      if (side === 'product-v2') v2++;
      else assert.equal(side, 'product');
      for (let again = 0; again < 3; again++) assert.equal(pickUpstream(canary, key), side);
    }
    assert.ok(v2 >= 400 && v2 <= 600, `v2 got ${v2} of 5000`);
  });

  it('spreads IP-like and UUID-like keys evenly too', () => {
    let v2 = 0;
    for (let i = 0; i < 5000; i++)
      if (pickUpstream(canary, `10.0.${i >> 8}.${i & 255}`) === 'product-v2') v2++;
    assert.ok(v2 >= 400 && v2 <= 600, `v2 got ${v2} of 5000`);
  });

  it('skips a side without instances and keeps callers of the healthy side where they were', () => {
    const before = new Map<string, string>();
    for (let i = 0; i < 1000; i++) before.set(`u${i}`, pickUpstream(canary, `u${i}`));
    for (const [key, side] of before) {
      assert.equal(
        pickUpstream(canary, key, (u) => u !== 'product-v2'),
        'product',
      );
      if (side === 'product-v2')
        assert.equal(
          pickUpstream(canary, key, (u) => u !== 'product'),
          'product-v2',
        );
      else
        assert.equal(
          pickUpstream(canary, key, (u) => u !== 'product-v2'),
          side,
        );
    }
    assert.equal(
      pickUpstream(canary, 'u1', () => false),
      before.get('u1'),
    ); // nothing up: first choice (503)
  });

  it('returns the single upstream of a plain route', () => {
    assert.equal(
      pickUpstream(table.routesByName.get('products')!, 'anyone', () => false),
      'product',
    );
  });

  it('never picks a weight-0 side', () => {
    const t = parseRouteTable(
      {
        upstreams: { a: { service: 'a' }, b: { service: 'b' } },
        routes: [
          {
            name: 'r',
            match: { path: '/**' },
            rewrite: '/**',
            upstream: [
              { upstream: 'a', weight: 0 },
              { upstream: 'b', weight: 3 },
            ],
            auth: 'public',
          },
        ],
        rateLimits: { tiers: {}, anonymous: { limit: 1, windowSeconds: 1 } },
      },
      't',
    );
    for (let i = 0; i < 500; i++) assert.equal(pickUpstream(t.routes[0]!, `k${i}`), 'b');
  });
});

describe("a route's client IP rules", () => {
  const locked = table.routesByName.get('locked')!;
  it('lets only allow-listed clients in, deny winning, IPv4-mapped IPv6 included', () => {
    assert.equal(locked.clientAllowed!('10.1.2.3'), true);
    assert.equal(locked.clientAllowed!('::ffff:10.1.2.3'), true);
    assert.equal(locked.clientAllowed!('::1'), true);
    assert.equal(locked.clientAllowed!('10.6.6.7'), false);
    assert.equal(locked.clientAllowed!('::ffff:10.6.6.7'), false);
    assert.equal(locked.clientAllowed!('192.168.1.1'), false);
    assert.equal(locked.clientAllowed!('not-an-ip'), false);
    assert.equal(table.routesByName.get('products')!.clientAllowed, undefined, 'no rules: anyone');
  });
});
