import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadRouteTable, parseRouteTable, RouteTableError } from '../src/routes/load-route-table.ts';
import { ROUTES_SCHEMA_FILE, routeTableJsonSchema } from '../src/routes/write-schema.ts';

const ROUTES_FILE = fileURLToPath(new URL('../routes.json', import.meta.url));

function minimal(): Record<string, unknown> & { routes: Record<string, unknown>[] } {
  return {
    upstreams: { product: { service: 'product' } },
    routes: [
      {
        name: 'products',
        match: { path: '/api/products/**' },
        rewrite: '/products/**',
        upstream: 'product',
        auth: 'public',
      },
    ],
    rateLimits: {
      tiers: { free: { limit: 100, windowSeconds: 60 } },
      anonymous: { limit: 10, windowSeconds: 60 },
      buckets: { login: { limit: 5, windowSeconds: 60, key: 'ip' } },
    },
  };
}

/** The problem lines of the RouteTableError that parsing `json` throws. */
function problemsOf(json: unknown): string[] {
  try {
    parseRouteTable(json, 'bad.json');
  } catch (err) {
    assert.ok(err instanceof RouteTableError, `not a RouteTableError: ${err}`);
    assert.match(err.message, /^route table bad\.json is invalid/);
    const lines = err.message
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    assert.deepEqual(
      lines,
      err.problems.map((p) => `${p.path || '/'}: ${p.message}`),
    );
    return lines;
  }
  assert.fail('the table was accepted');
}

function withRoute(change: (route: Record<string, unknown>) => void): unknown {
  const t = minimal();
  change(t.routes[0]!);
  return t;
}

describe('the repository route table', () => {
  it('loads, with a 12-hex version from the file text and every route compiled', async () => {
    const table = await loadRouteTable(ROUTES_FILE);
    assert.match(table.version, /^[0-9a-f]{12}$/);
    assert.equal(table.source, ROUTES_FILE);
    assert.equal(table.routes.length, table.file.routes.length);
    assert.ok(table.routes.length > 0);
    for (const route of table.routes) {
      assert.equal(table.routesByName.get(route.name), route);
      for (const u of route.upstreamNames) assert.ok(table.upstreams.has(u), `${route.name} → ${u}`);
    }
    assert.ok(Object.isFrozen(table.file.routes[0]));
    const again = await loadRouteTable(ROUTES_FILE);
    assert.equal(again.version, table.version);
  });

  it('names the committed JSON schema, which equals the schema in code (regenerate with write-schema.ts)', async () => {
    const routes = JSON.parse(await readFile(ROUTES_FILE, 'utf8'));
    assert.equal(routes.$schema, './routes.schema.json');
    const committed = JSON.parse(await readFile(ROUTES_SCHEMA_FILE, 'utf8'));
    assert.deepEqual(
      committed,
      routeTableJsonSchema(),
      'run: node services/gateway/src/routes/write-schema.ts',
    );
  });
});

describe('parseRouteTable', () => {
  it('accepts a minimal table and lower-cases header names without touching the input', () => {
    const json = withRoute((r) => {
      r.match = { path: '/api/products/**', headers: { 'X-Version': 'v2' }, host: 'Shop.Example' };
      r.transform = {
        response: {
          headers: { set: { 'API-Version': '2' }, remove: ['X-Powered-By'], rename: { 'X-A': 'X-B' } },
        },
      };
      r.cache = { ttlSeconds: 5, vary: ['Accept-Language'] };
    });
    const before = JSON.stringify(json);
    const table = parseRouteTable(json, 'ok.json');
    assert.equal(JSON.stringify(json), before);
    const route = table.routes[0]!;
    assert.deepEqual(route.match.headers, { 'x-version': 'v2' });
    assert.equal(route.hostMatch, 'shop.example');
    assert.deepEqual(route.transform?.response?.headers, {
      set: { 'api-version': '2' },
      remove: ['x-powered-by'],
      rename: { 'x-a': 'x-b' },
    });
    assert.deepEqual(route.cache?.vary, ['accept-language']);
    assert.equal(route.spec, table.file.routes[0]);
  });

  it('hashes different content to different versions', () => {
    const a = parseRouteTable(minimal(), 'a', 'text a');
    const b = parseRouteTable(minimal(), 'a', 'text b');
    assert.notEqual(a.version, b.version);
  });

  it('reports every schema problem with its JSON path, one line each', () => {
    const t = minimal();
    t.routes.push(
      {
        name: 'Bad Name',
        match: { path: 'no-slash', methods: ['FETCH'] },
        rewrite: '/x',
        upstream: 'product',
        auth: 'nobody',
        extra: true,
      },
      {
        name: 'split',
        match: { path: '/s' },
        rewrite: '/s',
        upstream: [{ upstream: 'product', weight: -1 }],
        auth: { roles: [] },
      },
    );
    (t.upstreams as Record<string, unknown>).product = { service: 'product', retries: 9 };
    (t.rateLimits as Record<string, unknown>).anonymous = { limit: 0 };
    t.surprise = 1;
    assert.deepEqual(problemsOf(t), [
      '/upstreams/product/retries: must be <= 5',
      '/routes/1/extra: is not an allowed property',
      '/routes/1/name: must match pattern "^[a-z][a-z0-9_.-]{0,62}$"',
      '/routes/1/match/path: must match pattern "^/"',
      '/routes/1/match/methods/0: must be one of "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"',
      '/routes/1/auth: must be one of "public", "user", an object',
      '/routes/2/upstream/0/weight: must be >= 0',
      '/routes/2/auth/roles: must not have fewer than 1 items',
      '/rateLimits/anonymous/windowSeconds: is required',
      '/rateLimits/anonymous/limit: must be >= 1',
      '/surprise: is not an allowed property',
    ]);
  });

  it('reports missing top-level parts and non-JSON-object input', () => {
    assert.deepEqual(problemsOf({ routes: [] }), [
      '/upstreams: is required',
      '/rateLimits: is required',
      '/routes: must list at least one route',
    ]);
    assert.deepEqual(problemsOf([]), ['/: must be a JSON object']);
  });

  it('reports every semantic problem with its JSON path', () => {
    const t = minimal();
    const base = { match: { path: '/x' }, rewrite: '/x', upstream: 'product', auth: 'public' };
    t.routes.push(
      { ...base, name: 'products' },
      { ...base, name: 'r2', upstream: 'nope', rateLimit: ['login', 'nosuch'] },
      { ...base, name: 'r3', match: { path: '/api/:id' }, rewrite: '/v/:slug/**' },
      {
        ...base,
        name: 'r4',
        upstream: [
          { upstream: 'product', weight: 0 },
          { upstream: 'ghost', weight: 0 },
        ],
      },
      {
        ...base,
        name: 'r5',
        ipAllow: ['10.0.0.0/8', '10.0.0.0/33', 'banana'],
        ipDeny: ['::/0', '1.2.3.4/08'],
      },
      {
        ...base,
        name: 'r6',
        match: { path: '/api//x/../y', headers: { 'X-A': '1', 'x-a': '2', 'bad name': 'v' } },
      },
      { ...base, name: 'r7', match: { path: '/api/**/x', host: 'shop.example:8080' } },
      {
        ...base,
        name: 'r8',
        match: { path: '/a/:id/:id' },
        transform: { request: { headers: { set: { 'X-Ok': 'a\r\nb' }, rename: { a: 'b c' } } } },
      },
      { ...base, name: 'r9', match: { path: '/a/%70' }, cache: { ttlSeconds: 1, vary: ['no good'] } },
      {
        ...base,
        name: 'r10',
        stream: true,
        cache: { ttlSeconds: 1 },
        transform: { response: { body: { money: 'decimal' } } },
      },
    );
    (t.upstreams as Record<string, unknown>).Upper = { service: 'upper' };
    t.purgeOn = { 'product.': ['nosuch'] };
    assert.deepEqual(problemsOf(t), [
      '/upstreams/Upper: upstream name must match ^[a-z][a-z0-9_.-]{0,62}$',
      '/routes/1/name: duplicate route name "products" (first at /routes/0)',
      '/routes/2/upstream: unknown upstream "nope" (not in /upstreams)',
      '/routes/2/rateLimit/1: unknown bucket "nosuch" (not in /rateLimits/buckets)',
      '/routes/3/rewrite: uses :slug, which match.path /api/:id does not define',
      '/routes/3/rewrite: uses **, which match.path /api/:id does not end with',
      '/routes/4/upstream/1/upstream: unknown upstream "ghost" (not in /upstreams)',
      '/routes/4/upstream: split weights must add up to more than 0',
      '/routes/5/ipAllow/1: "10.0.0.0/33" is not an IP address or CIDR',
      '/routes/5/ipAllow/2: "banana" is not an IP address or CIDR',
      '/routes/5/ipDeny/1: "1.2.3.4/08" is not an IP address or CIDR',
      '/routes/6/match/path: "/api//x/../y" must be in normalised form (no //, . or .. segments, no %-escapes of letters)',
      '/routes/6/match/headers/x-a: same header as "X-A" (names are case-insensitive)',
      '/routes/6/match/headers/bad name: "bad name" is not a header name',
      '/routes/7/match/path: "/api/**/x" `**` is allowed only as the final segment',
      '/routes/7/match/host: "shop.example:8080" is not a host name (no port, no scheme)',
      '/routes/8/match/path: "/a/:id/:id" param :id appears twice',
      '/routes/8/transform/request/headers/rename/a: "b c" is not a header name',
      '/routes/8/transform/request/headers/set/X-Ok: header value has control characters',
      '/routes/9/match/path: "/a/%70" must be in normalised form (no //, . or .. segments, no %-escapes of letters)',
      '/routes/9/cache/vary/0: "no good" is not a header name',
      '/routes/10/cache: a stream route is never cached',
      '/routes/10/transform/response/body: a stream has no JSON body to transform',
      '/purgeOn/product./0: tag "nosuch" is not in any route\'s cache.tags',
    ]);
  });

  it('loadRouteTable names the file for unreadable and non-JSON files', async () => {
    await assert.rejects(loadRouteTable('/nonexistent/routes.json'), (err: unknown) => {
      assert.ok(err instanceof RouteTableError);
      assert.match(
        err.message,
        /^route table \/nonexistent\/routes\.json is invalid .*\n {2}\/: cannot read: ENOENT/,
      );
      return true;
    });
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'routes-load-'));
    try {
      const file = join(dir, 'routes.json');
      await writeFile(file, '{"routes": [}');
      await assert.rejects(loadRouteTable(file), (err: unknown) => {
        assert.ok(err instanceof RouteTableError);
        assert.ok(err.message.startsWith(`route table ${file} is invalid`));
        assert.match(err.problems[0]!.message, /^not valid JSON: /);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
