import { type Logger, Registry } from '@shopnow/chassis';
import type { Bucket, RateLimitSettings } from '../routes/route-table-schema.ts';
import { LocalStore } from './local-store.ts';
import { createRateLimitMetrics, type RateLimitMetrics } from './metrics.ts';
import { RedisStore } from './redis-store.ts';
import type { RateDecision } from './token-bucket.ts';

/** Who is calling, as authentication found out: a user, an API key, or nobody (by client IP). */
export type Caller =
  | { kind: 'user'; id: string; tier: string; roles: readonly string[] }
  | { kind: 'api_key'; id: string; tier: string; roles: readonly string[] }
  | { kind: 'anonymous'; ip: string };

/** The outcome of RateLimiter.check. */
export interface RateLimitResult {
  /** False: answer 429 with rateLimitHeaders(result). */
  allowed: boolean;
  /** Name of the policy behind `decision`: a tier ("free"), "anonymous", or a bucket ("login"); "unlimited" when none. */
  policy: string;
  /** The decision to advertise: the denying one, else the one with the fewest tokens left; undefined = unlimited. */
  decision: RateDecision | undefined;
  /** Window of that policy's bucket, for RateLimit-Policy `w` (0 when unlimited). */
  windowSeconds: number;
}

/** Options of RateLimiter. */
export interface RateLimiterOptions {
  settings: RateLimitSettings;
  /** Share buckets through this Redis (all replicas enforce one limit); in process when unset. */
  redisUrl?: string | undefined;
  logger: Logger;
  /** Where the gateway_ratelimit_* metrics go; a private registry when unset. */
  metrics?: Registry | undefined;
  /** Redis store tuning and test isolation (key prefix, command timeout, probe interval). */
  redis?: { keyPrefix?: string; commandTimeoutMs?: number; probeIntervalMs?: number } | undefined;
}

/** A caller's own bucket, resolved from the settings once per settings version. */
interface Policy {
  name: string;
  bucket: Bucket;
}

const UNLIMITED: RateLimitResult = Object.freeze({
  allowed: true,
  policy: 'unlimited',
  decision: undefined,
  windowSeconds: 0,
});

/**
 * Token-bucket rate limiting for the gateway: each caller's own bucket (by tier for users and
 * API keys, by IP for anonymous callers) plus the strict buckets a route names. In process, or
 * shared through Redis when `redisUrl` is set (see redis-store.ts for behaviour during an outage).
 *
 * Keys: user `u:<id>`, API key `k:<id>`, anonymous `ip:<ip>`; strict buckets `b:<name>:ip:<ip>`
 * or `b:<name>:<caller key>`. Every bucket consulted is charged when it allows, even if another
 * denies (so hammering a strict route also spends the caller's own budget).
 */
export class RateLimiter {
  readonly #local: LocalStore | undefined;
  readonly #redis: RedisStore | undefined;
  readonly #metrics: RateLimitMetrics;
  readonly #localTally: { inc(): void };
  #settings!: RateLimitSettings;
  #unlimitedRoles!: ReadonlySet<string>;
  #tiers!: Map<string, Policy | 'unlimited'>;
  /** Unknown tiers use `free`; without a `free` tier, the anonymous bucket. */
  #defaultTier!: Policy | 'unlimited';
  #anonymous!: Policy;
  #strict!: Map<string, Policy & { key: 'ip' | 'caller' }>;

  constructor(options: RateLimiterOptions) {
    this.#metrics = createRateLimitMetrics(options.metrics ?? new Registry(), options.redisUrl !== undefined);
    this.#localTally = this.#metrics.checks.local;
    if (options.redisUrl) {
      this.#redis = new RedisStore({
        url: options.redisUrl,
        logger: options.logger,
        metrics: this.#metrics,
        keyPrefix: options.redis?.keyPrefix,
        commandTimeoutMs: options.redis?.commandTimeoutMs,
        probeIntervalMs: options.redis?.probeIntervalMs,
      });
    } else {
      this.#local = new LocalStore();
    }
    this.update(options.settings);
  }

  /** Applies new settings (a route table reload). Bucket states are kept: a caller's spent tokens stay spent. */
  update(settings: RateLimitSettings): void {
    this.#settings = settings;
    this.#unlimitedRoles = new Set(settings.unlimitedRoles ?? ['admin']);
    this.#tiers = new Map();
    for (const [name, tier] of Object.entries(settings.tiers)) {
      this.#tiers.set(name, tier === 'unlimited' ? 'unlimited' : { name, bucket: tier });
    }
    this.#anonymous = { name: 'anonymous', bucket: settings.anonymous };
    this.#defaultTier = this.#tiers.get('free') ?? this.#anonymous;
    this.#strict = new Map();
    for (const [name, spec] of Object.entries(settings.buckets ?? {})) {
      this.#strict.set(name, {
        name,
        bucket: { limit: spec.limit, windowSeconds: spec.windowSeconds },
        key: spec.key,
      });
    }
  }

  /** Where takes go now: `local` (no Redis configured), `redis`, or `fallback` (Redis down or not yet connected). */
  get store(): 'local' | 'redis' | 'fallback' {
    if (this.#redis === undefined) return 'local';
    return this.#redis.shared ? 'redis' : 'fallback';
  }

  /** The settings in force. */
  get settings(): RateLimitSettings {
    return this.#settings;
  }

  /**
   * Checks the caller's own bucket (tier / API key / IP) and each named strict bucket of the
   * route; denied if any denies. The returned decision is the denying one (the longest wait if
   * several deny), else the most restrictive (lowest remaining). Unlimited callers skip their
   * own bucket; strict buckets still apply to them. Names missing from the settings are ignored
   * (the route table check rejects them at load). Never rejects.
   */
  check(
    caller: Caller,
    clientIp: string,
    routeBuckets: readonly string[] | undefined,
  ): Promise<RateLimitResult> {
    const result = this.checkSync(caller, clientIp, routeBuckets);
    if (result !== undefined) return Promise.resolve(result);
    const { policies, keys } = this.#plan(caller, clientIp, routeBuckets);
    const redis = this.#redis as RedisStore;
    if (policies.length === 1) {
      const own = policies[0] as Policy;
      return redis.take(keys[0] as string, own.bucket).then((decision) => this.#result(own, decision));
    }
    // Issued together, so they share one round trip's wait (each take is atomic on its own).
    return Promise.all(policies.map((policy, i) => redis.take(keys[i] as string, policy.bucket))).then(
      (decisions) => this.#combine(policies, decisions),
    );
  }

  /**
   * check() without a promise when it can answer synchronously (the hot path): in process, or
   * for a caller with nothing to limit. Undefined means "call check()" (the buckets are in Redis).
   */
  checkSync(
    caller: Caller,
    clientIp: string,
    routeBuckets: readonly string[] | undefined,
  ): RateLimitResult | undefined {
    const local = this.#local;
    if (routeBuckets === undefined || routeBuckets.length === 0) {
      const own = this.#ownPolicy(caller);
      if (own === undefined) return UNLIMITED;
      if (local === undefined) return undefined;
      this.#localTally.inc();
      return this.#result(own, local.takeSync(callerKeyOf(caller), own.bucket));
    }
    const { policies, keys } = this.#plan(caller, clientIp, routeBuckets);
    if (policies.length === 0) return UNLIMITED;
    if (local === undefined) return undefined;
    const decisions: RateDecision[] = [];
    for (let i = 0; i < policies.length; i++) {
      this.#localTally.inc();
      decisions.push(local.takeSync(keys[i] as string, (policies[i] as Policy).bucket));
    }
    return this.#combine(policies, decisions);
  }

  /** The buckets a check takes from, with their store keys. */
  #plan(
    caller: Caller,
    clientIp: string,
    routeBuckets: readonly string[] | undefined,
  ): { policies: Policy[]; keys: string[] } {
    const policies: Policy[] = [];
    const keys: string[] = [];
    const own = this.#ownPolicy(caller);
    const callerKey = callerKeyOf(caller);
    if (own !== undefined) {
      policies.push(own);
      keys.push(callerKey);
    }
    for (const name of routeBuckets ?? []) {
      const strict = this.#strict.get(name);
      if (strict === undefined) continue;
      policies.push(strict);
      keys.push(strict.key === 'ip' ? `b:${name}:ip:${clientIp}` : `b:${name}:${callerKey}`);
    }
    return { policies, keys };
  }

  /** Stops the Redis client and forgets local buckets. */
  async close(): Promise<void> {
    await Promise.all([this.#local?.close(), this.#redis?.close()]);
  }

  #ownPolicy(caller: Caller): Policy | undefined {
    if (caller.kind === 'anonymous') return this.#anonymous;
    for (const role of caller.roles) if (this.#unlimitedRoles.has(role)) return undefined;
    const tier = this.#tiers.get(caller.tier) ?? this.#defaultTier;
    return tier === 'unlimited' ? undefined : tier;
  }

  #result(policy: Policy, decision: RateDecision): RateLimitResult {
    if (!decision.allowed) this.#metrics.rejection(policy.name).inc();
    return {
      allowed: decision.allowed,
      policy: policy.name,
      decision,
      windowSeconds: policy.bucket.windowSeconds,
    };
  }

  #combine(policies: readonly Policy[], decisions: readonly RateDecision[]): RateLimitResult {
    let pick = 0;
    for (let i = 1; i < decisions.length; i++) {
      const best = decisions[pick] as RateDecision;
      const next = decisions[i] as RateDecision;
      const better = best.allowed
        ? !next.allowed || next.remaining < best.remaining
        : !next.allowed && next.retryAfterSeconds > best.retryAfterSeconds;
      if (better) pick = i;
    }
    return this.#result(policies[pick] as Policy, decisions[pick] as RateDecision);
  }
}

function callerKeyOf(caller: Caller): string {
  return caller.kind === 'user'
    ? `u:${caller.id}`
    : caller.kind === 'api_key'
      ? `k:${caller.id}`
      : `ip:${caller.ip}`;
}
