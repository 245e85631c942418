import { Counter, Gauge, type Registry } from '@shopnow/chassis';

/** Something that counts up; a pre-bound prom-client child, so the hot path does no label lookup. */
export interface Tally {
  inc(): void;
}

/** The rate limiter's Prometheus metrics, with label children bound once. */
export interface RateLimitMetrics {
  /** `gateway_ratelimit_checks_total{store}`: bucket takes answered by each store. */
  checks: { local: Tally; redis: Tally; fallback: Tally };
  /** `gateway_ratelimit_rejections_total{policy}`: one child per policy name, made on first use. */
  rejection(policy: string): Tally;
  /** `gateway_ratelimit_redis_up`: 1 while the shared store answers, 0 during an outage. */
  setRedisUp(up: boolean): void;
}

/**
 * Registers (or reuses, so two limiters can share a registry) the rate-limit metrics. The Redis
 * gauge is registered only when `withRedis`: a gateway without Redis has nothing to report there.
 */
export function createRateLimitMetrics(registry: Registry, withRedis: boolean): RateLimitMetrics {
  const checks = reuse(
    registry,
    'gateway_ratelimit_checks_total',
    () =>
      new Counter({
        name: 'gateway_ratelimit_checks_total',
        help: 'Rate-limit bucket takes, by the store that answered (local, redis, fallback = local while Redis is down)',
        labelNames: ['store'],
        registers: [registry],
      }),
  );
  const rejections = reuse(
    registry,
    'gateway_ratelimit_rejections_total',
    () =>
      new Counter({
        name: 'gateway_ratelimit_rejections_total',
        help: 'Requests refused with 429, by the policy (tier or bucket name) that refused them',
        labelNames: ['policy'],
        registers: [registry],
      }),
  );
  const redisUp = withRedis
    ? reuse(
        registry,
        'gateway_ratelimit_redis_up',
        () =>
          new Gauge({
            name: 'gateway_ratelimit_redis_up',
            help: '1 while rate limits are shared through Redis, 0 while Redis is unreachable (local fallback)',
            registers: [registry],
          }),
      )
    : undefined;
  const byPolicy = new Map<string, Tally>();
  return {
    checks: {
      local: checks.labels('local'),
      redis: checks.labels('redis'),
      fallback: checks.labels('fallback'),
    },
    rejection(policy) {
      let child = byPolicy.get(policy);
      if (child === undefined) {
        child = rejections.labels(policy);
        byPolicy.set(policy, child);
      }
      return child;
    },
    setRedisUp(up) {
      redisUp?.set(up ? 1 : 0);
    },
  };
}

function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
