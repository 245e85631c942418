// The response cache in process: what is stored, for how long, how it is served (HIT, MISS,
// STALE, BYPASS), coalescing, purges and metrics, against a real HTTP upstream.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Registry } from '@shopnow/chassis';
import { cacheKey } from '../src/cache/cache-key.ts';
import { notModified } from '../src/cache/conditional.ts';
import { ResponseCache, type ServeInput } from '../src/cache/response-cache.ts';
import type { CachedResponse, Revalidation } from '../src/cache/types.ts';
import type { RouteCacheSettings } from '../src/routes/route-table-schema.ts';
import {
  eventually,
  json,
  jsonHandler,
  SETTINGS,
  silentLogger,
  startUpstream,
  type Upstream,
} from './cache-helpers.ts';

let upstream: Upstream;
let nowMs: number;
let cache: ResponseCache;
const now = () => nowMs;

before(async () => {
  upstream = await startUpstream();
});
after(async () => {
  await upstream.close();
});
beforeEach(() => {
  nowMs = 1_700_000_000_000;
  upstream.calls = 0;
  upstream.handler = jsonHandler();
  cache = new ResponseCache({ logger: silentLogger, now });
});

function input(overrides: Partial<ServeInput> = {}): ServeInput {
  return { key: 'k', tags: ['product'], settings: SETTINGS, authenticated: false, ...overrides };
}

const serve = (overrides: Partial<ServeInput> = {}, path = '/') =>
  cache.serve(input(overrides), upstream.fetch(path));

/** Lets the store of a finished fetch land (real time always passes between requests; the fake clock does not). */
const landed = () => new Promise((done) => setImmediate(done));

/** A gate: the upstream holds its answers until open() is called. */
function gatedHandler(headers: Record<string, string> = {}) {
  const waiting: Array<() => void> = [];
  let open = false;
  const handler = jsonHandler(headers);
  return {
    handler: ((req, res, call) => {
      if (open) handler(req, res, call);
      else waiting.push(() => handler(req, res, call));
    }) as Upstream['handler'],
    open() {
      open = true;
      for (const release of waiting.splice(0)) release();
    },
  };
}

describe('response cache: hits and misses', () => {
  it('a miss fetches and stores; the same key is then a hit without an upstream call', async () => {
    const first = await serve();
    assert.equal(first.state, 'MISS');
    assert.deepEqual(json(first.response), { call: 1 });
    const second = await serve();
    assert.equal(second.state, 'HIT');
    assert.deepEqual(json(second.response), { call: 1 });
    assert.equal(upstream.calls, 1);
    const stats = cache.stats();
    assert.equal(stats.entries, 1);
    assert.ok(stats.bytes > 0);
    assert.deepEqual([stats.hits, stats.misses, stats.stale], [1, 1, 0]);
  });

  it('different keys are different entries; HEAD shares the GET key', async () => {
    await serve({ key: 'a' });
    assert.equal((await serve({ key: 'b' })).state, 'MISS');
    assert.equal(upstream.calls, 2);
    const route = { name: 'products' };
    assert.equal(
      cacheKey(route, 'HEAD', 'Shop.Example', '/p?x=1', []),
      cacheKey(route, 'GET', 'shop.example', '/p?x=1', []),
    );
    assert.notEqual(
      cacheKey(route, 'GET', 'shop.example', '/p?x=1', []),
      cacheKey(route, 'GET', 'shop.example', '/p?x=2', []),
    );
    assert.notEqual(cacheKey(route, 'GET', 'a', '/p', ['en']), cacheKey(route, 'GET', 'a', '/p', ['de']));
    assert.notEqual(cacheKey(route, 'GET', 'a', '/p', []), cacheKey({ name: 'other' }, 'GET', 'a', '/p', []));
    // Parts cannot run into each other.
    assert.notEqual(
      cacheKey(route, 'GET', 'a', '/p', ['x", "y']),
      cacheKey(route, 'GET', 'a', '/p', ['x', 'y']),
    );
  });

  it('an entry expires after the route TTL when the upstream gives no max-age', async () => {
    await serve();
    nowMs += 29_999;
    assert.equal((await serve()).state, 'HIT');
    nowMs += 1;
    const expired = await serve();
    assert.equal(expired.state, 'MISS');
    assert.deepEqual(json(expired.response), { call: 2 });
  });

  it('max-age beats the route TTL, and s-maxage beats max-age', async () => {
    upstream.handler = jsonHandler({ 'cache-control': 'max-age=5' });
    await serve({ key: 'max-age' });
    nowMs += 4_999;
    assert.equal((await serve({ key: 'max-age' })).state, 'HIT');
    nowMs += 1;
    assert.equal((await serve({ key: 'max-age' })).state, 'MISS');

    upstream.handler = jsonHandler({ 'cache-control': 'max-age=5, s-maxage=10' });
    const stored = await serve({ key: 's-maxage' });
    assert.equal((stored.response as CachedResponse).freshUntilMs, nowMs + 10_000);
    nowMs += 7_000;
    assert.equal((await serve({ key: 's-maxage' })).state, 'HIT');
    nowMs += 3_000;
    assert.equal((await serve({ key: 's-maxage' })).state, 'MISS');
  });

  it('the upstream Age counts against freshness', async () => {
    upstream.handler = jsonHandler({ 'cache-control': 'max-age=10', age: '4' });
    const stored = (await serve()).response as CachedResponse;
    assert.equal(stored.freshUntilMs, nowMs + 6_000);
    assert.equal(stored.storedAtMs, nowMs - 4_000);
  });

  it('no-store and private responses are never stored (BYPASS every time)', async () => {
    for (const cacheControl of ['no-store', 'private', 'private="set-cookie", max-age=60', 'max-age=0']) {
      upstream.calls = 0;
      upstream.handler = jsonHandler({ 'cache-control': cacheControl });
      const key = `cc ${cacheControl}`;
      assert.equal((await serve({ key })).state, 'BYPASS', cacheControl);
      const again = await serve({ key });
      assert.equal(again.state, 'BYPASS', cacheControl);
      assert.deepEqual(json(again.response), { call: 2 });
      assert.equal(upstream.calls, 2);
    }
    assert.equal(cache.stats().entries, 0);
  });

  it('a response no-cache (what services send for browsers) is kept for the route TTL', async () => {
    upstream.handler = jsonHandler({ 'cache-control': 'no-cache', etag: '"v1"' });
    assert.equal((await serve()).state, 'MISS');
    const hit = await serve();
    assert.equal(hit.state, 'HIT');
    assert.equal((hit.response as CachedResponse).headers['cache-control'], 'no-cache');
  });

  it('only 200, 301 and 404 are stored', async () => {
    for (const status of [500, 503, 302, 206, 304, 400]) {
      upstream.handler = (_req, res) => res.writeHead(status).end();
      assert.equal((await serve({ key: `s${status}` })).state, 'BYPASS', String(status));
      assert.equal((await serve({ key: `s${status}` })).state, 'BYPASS', String(status));
    }
    for (const status of [404, 301]) {
      upstream.handler = (_req, res) => res.writeHead(status, { location: '/x' }).end('gone');
      assert.equal((await serve({ key: `s${status}` })).state, 'MISS', String(status));
      const hit = await serve({ key: `s${status}` });
      assert.equal(hit.state, 'HIT', String(status));
      assert.equal(hit.response.status, status);
    }
  });

  it('Set-Cookie responses are not stored; stored headers hold no hop-by-hop headers', async () => {
    upstream.handler = jsonHandler({ 'set-cookie': 'sid=1' });
    assert.equal((await serve({ key: 'cookie' })).state, 'BYPASS');
    assert.equal((await serve({ key: 'cookie' })).state, 'BYPASS');

    upstream.handler = jsonHandler({
      connection: 'keep-alive, x-private-hop',
      'keep-alive': 'timeout=5',
      'x-private-hop': '1',
      'x-kept': 'yes',
    });
    const { response } = await serve({ key: 'hop' });
    const headers = (response as CachedResponse).headers;
    for (const name of [
      'connection',
      'keep-alive',
      'x-private-hop',
      'transfer-encoding',
      'content-length',
      'set-cookie',
    ]) {
      assert.equal(headers[name], undefined, name);
    }
    assert.equal(headers['x-kept'], 'yes');
    assert.equal(headers['content-type'], 'application/json');
  });

  it('a response varying on a header the route does not vary on is not stored', async () => {
    upstream.handler = jsonHandler({ vary: 'Accept-Language' });
    assert.equal((await serve({ key: 'v1' })).state, 'BYPASS');
    const varying: RouteCacheSettings = { ...SETTINGS, vary: ['accept-language'] };
    assert.equal((await serve({ key: 'v2', settings: varying })).state, 'MISS');
    assert.equal((await serve({ key: 'v2', settings: varying })).state, 'HIT');
    upstream.handler = jsonHandler({ vary: '*' });
    assert.equal((await serve({ key: 'v3', settings: varying })).state, 'BYPASS');
  });
});

describe('response cache: authenticated requests and request directives', () => {
  it('an authenticated request’s response is not stored unless it says public or s-maxage', async () => {
    assert.equal((await serve({ key: 'auth', authenticated: true })).state, 'BYPASS');
    assert.equal((await serve({ key: 'auth', authenticated: true })).state, 'BYPASS');
    assert.equal(upstream.calls, 2);

    upstream.handler = jsonHandler({ 'cache-control': 'public, max-age=60' });
    assert.equal((await serve({ key: 'auth-public', authenticated: true })).state, 'MISS');
    assert.equal((await serve({ key: 'auth-public', authenticated: true })).state, 'HIT');

    upstream.handler = jsonHandler({ 'cache-control': 's-maxage=60' });
    assert.equal((await serve({ key: 'auth-smaxage', authenticated: true })).state, 'MISS');
    assert.equal((await serve({ key: 'auth-smaxage', authenticated: true })).state, 'HIT');
  });

  it('an entry stored for an anonymous request is a hit for an authenticated one', async () => {
    await serve({ key: 'shared' });
    assert.equal((await serve({ key: 'shared', authenticated: true })).state, 'HIT');
  });

  it('request no-cache (or max-age=0) revalidates: MISS, fetched, and the new answer is stored', async () => {
    await serve();
    for (const requestCacheControl of ['no-cache', 'max-age=0']) {
      const revalidated = await serve({ requestCacheControl });
      assert.equal(revalidated.state, 'MISS', requestCacheControl);
    }
    assert.equal(upstream.calls, 3);
    const hit = await serve();
    assert.equal(hit.state, 'HIT');
    assert.deepEqual(json(hit.response), { call: 3 });
  });

  it('request no-store bypasses the cache and stores nothing', async () => {
    assert.equal((await serve({ requestCacheControl: 'no-store' })).state, 'BYPASS');
    assert.equal((await serve()).state, 'MISS');
    assert.equal(upstream.calls, 2);
  });
});

describe('response cache: ETags', () => {
  it('computes a strong ETag from the body when the upstream sends none, and keeps the upstream’s', async () => {
    const computed = (await serve({ key: 'no-etag' })).response as CachedResponse;
    assert.match(computed.etag, /^"[A-Za-z0-9_-]{27}"$/);
    assert.equal(computed.headers.etag, computed.etag);
    // Same body, same tag; different body, different tag.
    upstream.calls = 0;
    const again = (await serve({ key: 'no-etag-2' })).response as CachedResponse;
    assert.equal(again.etag, computed.etag);
    const other = (await serve({ key: 'no-etag-3' })).response as CachedResponse;
    assert.notEqual(other.etag, computed.etag);

    upstream.handler = jsonHandler({ etag: 'W/"upstream-1"' });
    const kept = (await serve({ key: 'etag' })).response as CachedResponse;
    assert.equal(kept.etag, 'W/"upstream-1"');
  });

  it('notModified: weak comparison, lists, * and mismatches', () => {
    assert.equal(notModified('"a"', '"a"'), true);
    assert.equal(notModified('W/"a"', '"a"'), true);
    assert.equal(notModified('"a"', 'W/"a"'), true);
    assert.equal(notModified('"x", W/"a" ,"y"', '"a"'), true);
    assert.equal(notModified('*', '"a"'), true);
    assert.equal(notModified('"a,b"', '"a,b"'), true);
    assert.equal(notModified('"b"', '"a"'), false);
    assert.equal(notModified('"a,b"', '"a"'), false);
    assert.equal(notModified('a', '"a"'), false);
    assert.equal(notModified('', '"a"'), false);
    assert.equal(notModified(undefined, '"a"'), false);
  });
});

describe('response cache: stale-while-revalidate and coalescing', () => {
  const swr: RouteCacheSettings = { ttlSeconds: 10, staleWhileRevalidateSeconds: 60, tags: ['product'] };

  it('a stale entry is returned at once as STALE while exactly one background fetch refreshes it', async () => {
    await serve({ settings: swr });
    await landed();
    nowMs += 10_000;
    const gate = gatedHandler();
    upstream.handler = gate.handler;
    // The upstream holds every answer, so these can only resolve from the cache.
    const stale = await Promise.all(Array.from({ length: 20 }, () => serve({ settings: swr })));
    for (const served of stale) {
      assert.equal(served.state, 'STALE');
      assert.deepEqual(json(served.response), { call: 1 });
    }
    await eventually(() => upstream.calls === 2, 2000, 'the background fetch');
    assert.equal(cache.stats().stale, 20);
    gate.open();
    await eventually(
      async () => (await serve({ settings: swr })).state === 'HIT',
      2000,
      'the refreshed entry',
    );
    const fresh = await serve({ settings: swr });
    assert.deepEqual(json(fresh.response), { call: 2 });
    assert.equal(upstream.calls, 2);
  });

  it('past the stale window an entry is a plain miss', async () => {
    await serve({ settings: swr });
    await landed();
    nowMs += 70_000;
    assert.equal((await serve({ settings: swr })).state, 'MISS');
  });

  it('a failed background refresh keeps serving stale', async () => {
    await serve({ settings: swr });
    await landed();
    nowMs += 11_000;
    upstream.handler = (_req, res) => res.destroy();
    assert.equal((await serve({ settings: swr })).state, 'STALE');
    await eventually(() => upstream.calls === 2, 2000, 'the background fetch');
    await new Promise((done) => setTimeout(done, 20));
    assert.equal((await serve({ settings: swr })).state, 'STALE');
    // …and the next stale hit tries again.
    await eventually(() => upstream.calls === 3, 2000, 'the second background fetch');
  });

  it('100 concurrent misses cause one upstream call and all get its answer', async () => {
    upstream.handler = jsonHandler({}, 50);
    const served = await Promise.all(Array.from({ length: 100 }, () => serve({ key: 'hot' })));
    assert.equal(upstream.calls, 1);
    for (const s of served) {
      assert.equal(s.state, 'MISS');
      assert.deepEqual(json(s.response), { call: 1 });
    }
    assert.equal((await serve({ key: 'hot' })).state, 'HIT');
    assert.equal(upstream.calls, 1);
  });

  it('a private answer is never handed to other waiters: each fetches its own', async () => {
    upstream.handler = jsonHandler({ 'cache-control': 'private' }, 30);
    const served = await Promise.all(
      Array.from({ length: 10 }, () => serve({ key: 'private', authenticated: true })),
    );
    const calls = served.map((s) => (json(s.response) as { call: number }).call).sort((a, b) => a - b);
    assert.deepEqual(calls, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.ok(served.every((s) => s.state === 'BYPASS'));
  });

  it('an upstream failure rejects every coalesced caller and stores nothing', async () => {
    upstream.handler = (_req, res) => setTimeout(() => res.destroy(), 30);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => serve({ key: 'down' })));
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.equal(upstream.calls, 1);
    upstream.handler = jsonHandler();
    assert.equal((await serve({ key: 'down' })).state, 'MISS');
  });
});

describe('response cache: purges', () => {
  it('purgeTags drops only the entries carrying a purged tag', async () => {
    await serve({ key: 'product-page', tags: ['product'] });
    await serve({ key: 'review-page', tags: ['review'] });
    await serve({ key: 'both', tags: ['review', 'product'] });
    await serve({ key: 'untagged', tags: [] });
    assert.equal(cache.stats().entries, 4);
    await cache.purgeTags(['product']);
    assert.equal(cache.stats().entries, 2);
    assert.equal((await serve({ key: 'product-page', tags: ['product'] })).state, 'MISS');
    assert.equal((await serve({ key: 'both', tags: ['review', 'product'] })).state, 'MISS');
    assert.equal((await serve({ key: 'review-page', tags: ['review'] })).state, 'HIT');
    assert.equal((await serve({ key: 'untagged', tags: [] })).state, 'HIT');
  });

  it('a response fetched across a purge is not stored (no resurrection of old data)', async () => {
    const gate = gatedHandler();
    upstream.handler = gate.handler;
    const pending = serve();
    await eventually(() => upstream.calls === 1, 2000, 'the fetch');
    await cache.purgeTags(['product']);
    gate.open();
    assert.equal((await pending).state, 'MISS');
    upstream.handler = jsonHandler();
    const after = await serve();
    assert.equal(after.state, 'MISS');
    assert.deepEqual(json(after.response), { call: 2 });
  });

  it('purgeAll drops everything', async () => {
    await serve({ key: 'a', tags: ['x'] });
    await serve({ key: 'b', tags: [] });
    await cache.purgeAll();
    assert.equal(cache.stats().entries, 0);
    assert.equal((await serve({ key: 'a', tags: ['x'] })).state, 'MISS');
    assert.equal((await serve({ key: 'b', tags: [] })).state, 'MISS');
  });

  it('the store is bounded by bytes: old entries are evicted', async () => {
    const small = new ResponseCache({ logger: silentLogger, now, maxBytes: 4096, maxEntryBytes: 2048 });
    const big = Buffer.alloc(1000, 'x');
    const fetchBig = async (): Promise<Revalidation> => ({ status: 200, headers: {}, body: big });
    for (let i = 0; i < 20; i++) await small.serve(input({ key: `big${i}` }), fetchBig);
    const stats = small.stats();
    assert.ok(stats.bytes <= 4096, `bytes ${stats.bytes}`);
    assert.ok(stats.entries >= 1 && stats.entries < 20, `entries ${stats.entries}`);
    assert.equal((await small.serve(input({ key: 'big19' }), fetchBig)).state, 'HIT');
    assert.equal((await small.serve(input({ key: 'big0' }), fetchBig)).state, 'MISS');
    await small.close();
  });
});

describe('response cache: metrics', () => {
  it('counts requests by state and reports entries and bytes', async () => {
    const registry = new Registry();
    const measured = new ResponseCache({ logger: silentLogger, now, metrics: registry });
    const fetch = upstream.fetch();
    await measured.serve(input(), fetch);
    await measured.serve(input(), fetch);
    await measured.serve(input(), fetch);
    await measured.serve(input({ requestCacheControl: 'no-store' }), fetch);
    const text = await registry.metrics();
    assert.match(text, /gateway_cache_requests_total\{state="HIT"\} 2/);
    assert.match(text, /gateway_cache_requests_total\{state="MISS"\} 1/);
    assert.match(text, /gateway_cache_requests_total\{state="STALE"\} 0/);
    assert.match(text, /gateway_cache_requests_total\{state="BYPASS"\} 1/);
    assert.match(text, /gateway_cache_entries 1/);
    const bytes = Number(/gateway_cache_bytes (\d+)/.exec(text)?.[1]);
    assert.equal(bytes, measured.stats().bytes);
    assert.ok(bytes > 0);
    await measured.close();
  });
});
