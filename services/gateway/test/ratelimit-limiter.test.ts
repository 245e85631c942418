import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createLogger, Registry } from '@shopnow/chassis';
import { type RunningRedis, redisInstalled, startRedis, testRedisUrl } from '@shopnow/testkit';
import { Redis } from 'ioredis';
import { rateLimitHeaders } from '../src/ratelimit/headers.ts';
import { type Caller, RateLimiter } from '../src/ratelimit/rate-limiter.ts';
import type { RateLimitSettings } from '../src/routes/route-table-schema.ts';

const settings: RateLimitSettings = {
  tiers: {
    free: { limit: 100, windowSeconds: 60 },
    premium: { limit: 10_000, windowSeconds: 60 },
    enterprise: 'unlimited',
  },
  unlimitedRoles: ['admin'],
  anonymous: { limit: 30, windowSeconds: 60 },
  buckets: {
    login: { limit: 5, windowSeconds: 60, key: 'ip' },
    checkout: { limit: 3, windowSeconds: 60, key: 'caller' },
  },
};

const logger = createLogger({ service: 'gateway-test', version: '0', level: 'silent' });
const user = (tier: string, roles: string[] = ['customer']): Caller => ({
  kind: 'user',
  id: randomUUID(),
  tier,
  roles,
});
const anonymous = (ip: string): Caller => ({ kind: 'anonymous', ip });
const randomIp = () =>
  `10.${(Math.random() * 255) | 0}.${(Math.random() * 255) | 0}.${(Math.random() * 255) | 0}`;

async function checkTimes(
  limiter: RateLimiter,
  caller: Caller,
  ip: string,
  buckets: string[] | undefined,
  n: number,
) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await limiter.check(caller, ip, buckets));
  return results;
}

/** The same semantics, whichever store holds the buckets. */
function semantics(makeLimiter: () => RateLimiter, metricsOf: () => Registry) {
  let limiter: RateLimiter;
  before(() => {
    limiter = makeLimiter();
  });
  after(() => limiter.close());

  test('free tier, 100/min: 100 pass, the 101st gets 429 headers', async () => {
    const caller = user('free');
    const results = await checkTimes(limiter, caller, '10.0.0.1', undefined, 101);
    assert.equal(results.filter((r) => r.allowed).length, 100);
    const first = results[0];
    const last = results[99];
    const denied = results[100];
    assert.ok(first && last && denied);
    assert.deepEqual(rateLimitHeaders(first, 60), {
      'RateLimit-Policy': '"free";q=100;w=60',
      RateLimit: '"free";r=99;t=1',
    });
    assert.deepEqual(rateLimitHeaders(last, 60), {
      'RateLimit-Policy': '"free";q=100;w=60',
      RateLimit: '"free";r=0;t=60',
    });
    assert.equal(denied.allowed, false);
    assert.equal(denied.policy, 'free');
    assert.deepEqual(rateLimitHeaders(denied, 60), {
      'RateLimit-Policy': '"free";q=100;w=60',
      RateLimit: '"free";r=0;t=1',
      'Retry-After': '1',
    });
    const metrics = await metricsOf().getSingleMetricAsString('gateway_ratelimit_rejections_total');
    assert.match(metrics, /gateway_ratelimit_rejections_total\{policy="free"\} [1-9]/);
  });

  test('premium is not denied at 150; an unknown tier gets the free bucket', async () => {
    const premium = await checkTimes(limiter, user('premium'), '10.0.0.2', undefined, 150);
    assert.ok(premium.every((r) => r.allowed));
    const remaining = premium.at(-1)?.decision?.remaining ?? 0;
    // 10,000 - 150, plus what refilled meanwhile (~167 tokens/s).
    assert.ok(remaining >= 10_000 - 150 && remaining < 10_000 - 100, `remaining ${remaining}`);
    const unknown = await checkTimes(limiter, user('gold'), '10.0.0.2', undefined, 101);
    assert.equal(unknown.filter((r) => r.allowed).length, 100);
    assert.equal(unknown.at(-1)?.policy, 'free');
  });

  test('admins and unlimited tiers are never limited and get no headers', async () => {
    for (const caller of [user('free', ['customer', 'admin']), user('enterprise')]) {
      const results = await checkTimes(limiter, caller, '10.0.0.3', undefined, 150);
      assert.ok(results.every((r) => r.allowed && r.decision === undefined && r.policy === 'unlimited'));
      assert.deepEqual(rateLimitHeaders(results[0] as never, 60), {});
    }
  });

  test('API keys have their own bucket by tier', async () => {
    const id = randomUUID();
    const key: Caller = { kind: 'api_key', id, tier: 'free', roles: [] };
    const asUser: Caller = { kind: 'user', id, tier: 'free', roles: [] };
    assert.equal(
      (await checkTimes(limiter, key, '10.0.0.4', undefined, 101)).filter((r) => r.allowed).length,
      100,
    );
    assert.equal((await limiter.check(asUser, '10.0.0.4', undefined)).allowed, true);
  });

  test('anonymous callers are limited per IP', async () => {
    const ip = randomIp();
    const results = await checkTimes(limiter, anonymous(ip), ip, undefined, 31);
    assert.equal(results.filter((r) => r.allowed).length, 30);
    assert.equal(results.at(-1)?.policy, 'anonymous');
    const other = randomIp();
    assert.equal((await limiter.check(anonymous(other), other, undefined)).allowed, true);
  });

  test('the strict login bucket counts by IP, whoever calls, admins included', async () => {
    const ip = randomIp();
    const callers = [anonymous(ip), user('premium'), user('free', ['admin']), anonymous(ip), user('free')];
    for (const caller of callers) {
      const result = await limiter.check(caller, ip, ['login']);
      assert.equal(result.allowed, true);
    }
    // The login bucket is the most restrictive (fewest left): its headers are the ones shown.
    const denied = await limiter.check(user('premium'), ip, ['login']);
    assert.equal(denied.allowed, false);
    assert.equal(denied.policy, 'login');
    assert.equal(rateLimitHeaders(denied).RateLimit, '"login";r=0;t=12');
    assert.equal(rateLimitHeaders(denied)['Retry-After'], '12');
    // Another IP has its own login bucket.
    assert.equal((await limiter.check(anonymous(randomIp()), randomIp(), ['login'])).allowed, true);
  });

  test('a caller-keyed strict bucket counts per caller, and the lowest remaining is advertised', async () => {
    const caller = user('free');
    const first = await limiter.check(caller, '10.0.0.5', ['checkout']);
    assert.equal(first.policy, 'checkout');
    assert.equal(first.decision?.remaining, 2);
    await checkTimes(limiter, caller, '10.0.0.6', ['checkout'], 2);
    assert.equal((await limiter.check(caller, '10.0.0.7', ['checkout'])).allowed, false);
    assert.equal((await limiter.check(user('free'), '10.0.0.5', ['checkout'])).allowed, true);
    // Unknown bucket names are ignored.
    assert.equal((await limiter.check(user('free'), '10.0.0.5', ['nope'])).policy, 'free');
  });

  test('update() applies new settings to the next check', async () => {
    const caller = user('free');
    assert.equal((await limiter.check(caller, '10.0.0.8', undefined)).decision?.limit, 100);
    limiter.update({ ...settings, tiers: { ...settings.tiers, free: { limit: 2, windowSeconds: 60 } } });
    try {
      const next = await checkTimes(limiter, caller, '10.0.0.8', undefined, 3);
      // 99 tokens left, clamped to the new capacity of 2: two more, then denied.
      assert.deepEqual(
        next.map((r) => r.allowed),
        [true, true, false],
      );
    } finally {
      limiter.update(settings);
    }
  });
}

describe('RateLimiter in process', () => {
  const registry = new Registry();
  semantics(
    () => new RateLimiter({ settings, logger, metrics: registry }),
    () => registry,
  );

  // A floor against pathological regressions, not a benchmark: a quiet core does ~0.3-0.8 µs,
  // but tests share the machine. The number printed is the measurement.
  test('hot path: a caller-only checkSync in process costs under 10 µs', async () => {
    const limiter = new RateLimiter({ settings, logger });
    const callers = Array.from({ length: 1_000 }, () => user('premium'));
    const run = (n: number) => {
      for (let i = 0; i < n; i++) limiter.checkSync(callers[i % 1_000] as Caller, '10.0.0.1', undefined);
    };
    run(50_000); // warm up the JIT
    const n = 1_000_000;
    const started = process.hrtime.bigint();
    run(n);
    const nanos = Number(process.hrtime.bigint() - started) / n;
    process.stdout.write(
      `# local checkSync: ${nanos.toFixed(0)} ns each, ${Math.round(1e9 / nanos)} checks/s\n`,
    );
    assert.ok(nanos < 10_000, `${nanos} ns per check`);
    // With Redis configured there is no synchronous answer for a limited caller.
    const shared = new RateLimiter({ settings, logger, redisUrl: 'redis://127.0.0.1:1' });
    assert.equal(shared.checkSync(user('free'), '10.0.0.1', undefined), undefined);
    assert.equal(shared.checkSync(user('enterprise'), '10.0.0.1', undefined)?.policy, 'unlimited');
    await Promise.all([limiter.close(), shared.close()]);
  });
});

const skipRedis =
  !testRedisUrl() && !redisInstalled() && !process.env.CI
    ? 'redis-server is not installed (apt-get install redis-server); with CI set these tests run and fail instead'
    : false;

describe('RateLimiter shared through Redis', { skip: skipRedis }, () => {
  let redis: RunningRedis | undefined;
  let url = testRedisUrl();
  const prefix = `test:${randomUUID()}:`;
  const registry = new Registry();
  before(async () => {
    if (url === undefined) {
      redis = await startRedis();
      url = redis.url;
    }
  });
  after(async () => {
    const client = new Redis(url as string);
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
    await redis?.stop();
  });

  semantics(
    () =>
      new RateLimiter({ settings, logger, metrics: registry, redisUrl: url, redis: { keyPrefix: prefix } }),
    () => registry,
  );

  test('buckets live in Redis under the prefix, expiring when they would be full again', async () => {
    const limiter = new RateLimiter({ settings, logger, redisUrl: url, redis: { keyPrefix: prefix } });
    const client = new Redis(url as string);
    try {
      const caller = user('free');
      await waitForStore(limiter, 'redis');
      await checkTimes(limiter, caller, '10.0.0.9', undefined, 10);
      const key = `${prefix}u:${(caller as { id: string }).id}`;
      const tokens = Number(await client.hget(key, 't'));
      assert.ok(tokens >= 90 && tokens < 91, `tokens ${tokens}`); // 100 - 10, plus a few ms of refill
      const ttl = await client.pttl(key);
      assert.ok(ttl > 5_000 && ttl <= 6_000, `pttl ${ttl}`); // 10 tokens short at 100/min = 6 s
    } finally {
      await client.quit();
      await limiter.close();
    }
  });

  async function waitForStore(limiter: RateLimiter, store: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (limiter.store !== store && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(limiter.store, store);
  }
});
