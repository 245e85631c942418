// The response cache in Redis: replicas share entries and purges; an unreachable or hanging Redis
// turns into upstream fetches, never into failed requests.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type RunningRedis, startRedis } from '@shopnow/testkit';
import { Redis } from 'ioredis';
import { ResponseCache, type ServeInput } from '../src/cache/response-cache.ts';
import type { RouteCacheSettings } from '../src/routes/route-table-schema.ts';
import {
  eventually,
  json,
  jsonHandler,
  recordingLogger,
  SETTINGS,
  silentLogger,
  startUpstream,
  type Upstream,
} from './cache-helpers.ts';

let redis: RunningRedis;
let upstream: Upstream;
let nowMs = 1_700_000_000_000;
const now = () => nowMs;
const open: ResponseCache[] = [];

function replica(logger = silentLogger): ResponseCache {
  const cache = new ResponseCache({ logger, now, redisUrl: redis.url });
  open.push(cache);
  return cache;
}

/** Until the client has connected (commands fail fast before, by design). */
async function connected(cache: ResponseCache, key = 'warm-up'): Promise<void> {
  await eventually(
    async () => (await cache.serve(input({ key, tags: [] }), upstream.fetch())).state === 'HIT',
    5000,
    'the Redis store answering',
  );
}

function input(overrides: Partial<ServeInput> = {}): ServeInput {
  return { key: 'page', tags: ['product'], settings: SETTINGS, authenticated: false, ...overrides };
}

before(async () => {
  redis = await startRedis();
  upstream = await startUpstream();
});
after(async () => {
  await Promise.all(open.map((cache) => cache.close()));
  await upstream?.close();
  await redis?.stop();
});
beforeEach(async () => {
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
  upstream.handler = jsonHandler();
  upstream.calls = 0;
});

describe('response cache in Redis', () => {
  it('two replicas see each other’s entries and purges', async () => {
    const a = replica();
    const b = replica();
    await connected(a);
    await connected(b);
    upstream.calls = 0;

    assert.equal((await a.serve(input(), upstream.fetch())).state, 'MISS');
    const shared = await b.serve(input(), upstream.fetch());
    assert.equal(shared.state, 'HIT');
    assert.deepEqual(json(shared.response), { call: 1 });
    assert.equal(
      await b.serve(input({ key: 'reviews', tags: ['review'] }), upstream.fetch()).then((s) => s.state),
      'MISS',
    );
    assert.equal(upstream.calls, 2);

    await b.purgeTags(['product']);
    const purged = await a.serve(input(), upstream.fetch());
    assert.equal(purged.state, 'MISS');
    assert.deepEqual(json(purged.response), { call: 3 });
    assert.equal((await b.serve(input(), upstream.fetch())).state, 'HIT');
    assert.equal((await a.serve(input({ key: 'reviews', tags: ['review'] }), upstream.fetch())).state, 'HIT');

    await a.purgeAll();
    assert.equal((await b.serve(input(), upstream.fetch())).state, 'MISS');
    assert.equal(
      (await b.serve(input({ key: 'reviews', tags: ['review'] }), upstream.fetch())).state,
      'MISS',
    );
  });

  it('entries expire in Redis at their stale limit; stale ones are served while one refresh runs', async () => {
    const a = replica();
    const b = replica();
    await connected(a);
    await connected(b);
    upstream.calls = 0;
    const swr: RouteCacheSettings = { ttlSeconds: 1, staleWhileRevalidateSeconds: 1, tags: ['product'] };
    const stored = await a.serve(input({ settings: swr }), upstream.fetch());
    assert.equal(stored.state, 'MISS');
    const client = new Redis(redis.url);
    try {
      const ttl = await client.pttl(`gw:cache:e:${input().key}`);
      assert.ok(ttl > 1000 && ttl <= 2000, `PX ${ttl}`);
    } finally {
      client.disconnect();
    }
    nowMs += 1_000;
    assert.equal((await b.serve(input({ settings: swr }), upstream.fetch())).state, 'STALE');
    await eventually(
      async () => (await b.serve(input({ settings: swr }), upstream.fetch())).state === 'HIT',
      2000,
      'the refresh',
    );
    assert.equal(upstream.calls, 2);
    // The other replica sees the refreshed entry.
    const refreshed = await a.serve(input({ settings: swr }), upstream.fetch());
    assert.equal(refreshed.state, 'HIT');
    assert.deepEqual(json(refreshed.response), { call: 2 });
  });

  it('100 concurrent misses on one replica cause one upstream call', async () => {
    const a = replica();
    await connected(a);
    upstream.calls = 0;
    upstream.handler = jsonHandler({}, 50);
    const served = await Promise.all(
      Array.from({ length: 100 }, () => a.serve(input({ key: 'hot' }), upstream.fetch())),
    );
    assert.equal(upstream.calls, 1);
    assert.ok(served.every((s) => s.state === 'MISS' && (json(s.response) as { call: number }).call === 1));
  });

  it('Redis down: requests go upstream without errors, one warning, and caching resumes when it is back', async () => {
    const { logger, lines } = recordingLogger();
    const a = replica(logger);
    await connected(a);
    upstream.calls = 0;
    const before = lines.length;
    await redis.down();
    try {
      for (let i = 1; i <= 5; i++) {
        const started = performance.now();
        const served = await a.serve(input(), upstream.fetch());
        assert.equal(served.state, 'MISS');
        assert.deepEqual(json(served.response), { call: i });
        assert.ok(performance.now() - started < 1000, 'fails fast');
      }
      await assert.rejects(a.purgeTags(['product']));
      const warnings = lines.slice(before).filter((line) => line.level === 'warn');
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(String(warnings[0]?.msg), /Redis unavailable/);
    } finally {
      await redis.up();
    }
    await connected(a, 'after-outage');
    assert.ok(lines.slice(before).some((line) => /Redis reachable again/.test(String(line.msg))));
    await a.purgeTags(['product']);
  });

  it('a hanging Redis (stopped process) costs one short timeout per request, not a failure', async () => {
    const a = replica();
    await connected(a);
    upstream.calls = 0;
    process.kill(redis.pid, 'SIGSTOP');
    try {
      const started = performance.now();
      const served = await a.serve(input({ key: 'hang' }), upstream.fetch());
      const elapsed = performance.now() - started;
      assert.equal(served.state, 'MISS');
      assert.equal(upstream.calls, 1);
      assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    await connected(a, 'after-hang');
  });
});
