// The shared store: every gateway replica takes from the same buckets in Redis, so N replicas
// enforce one limit. One round trip per take: a Lua script that refills, takes and expires
// atomically, on Redis's own clock (`TIME`), so the replicas' clocks never matter.
//
// Redis down (documented behaviour): each replica falls back to its own in-process buckets,
// so while Redis is unreachable a caller may get up to N× the limit across N replicas (plus a
// fresh burst, as the local buckets start full). The outage is logged once when it starts and
// once when it ends, `gateway_ratelimit_redis_up` drops to 0, and requests never wait on Redis
// longer than the command timeout: no offline queue, no retries, failures answered locally.
// A take that times out on a live connection is answered locally too, but only counts as an
// outage when a PING then times out as well (a slow moment is not an outage). The client
// reconnects in the background; the shared buckets are used again once it is ready (they may
// have reset if Redis restarted without persistence).

import type { Logger } from '@shopnow/chassis';
import { Redis } from 'ioredis';
import type { Bucket } from '../routes/route-table-schema.ts';
import { LocalStore } from './local-store.ts';
import type { RateLimitMetrics, Tally } from './metrics.ts';
import type { RateLimitStore } from './store.ts';
import type { RateDecision } from './token-bucket.ts';

/** Prefix of every key the limiter writes in Redis. */
export const REDIS_KEY_PREFIX = 'shopnow:rl:';

// Same arithmetic as token-bucket.ts (keep in step). Stored hash: t = tokens, ts = ms (Redis clock).
// KEYS[1] bucket; ARGV limit, window ms, cost. Returns {allowed 0|1, remaining, resetS, retryAfterS}.
const TAKE_SCRIPT = `
local limit = tonumber(ARGV[1])
local ms_per_token = tonumber(ARGV[2]) / limit
local cost = tonumber(ARGV[3])
local eps = 1e-9
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local saved = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(saved[1])
local ts = tonumber(saved[2])
if tokens == nil or ts == nil then
  tokens = limit
elseif now > ts then
  tokens = tokens + (now - ts) / ms_per_token
end
if tokens > limit then tokens = limit end
local allowed = 0
if tokens >= cost - eps then
  allowed = 1
  tokens = math.max(0, tokens - cost)
end
local full_ms = (limit - tokens) * ms_per_token
redis.call('HSET', KEYS[1], 't', tokens, 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(full_ms)))
local function ceil_seconds(ms)
  if ms <= 0 then return 0 end
  return math.ceil(ms / 1000 - eps)
end
local retry = 0
if allowed == 0 then retry = math.max(1, ceil_seconds((math.min(cost, limit) - tokens) * ms_per_token)) end
return {allowed, math.floor(tokens + eps), ceil_seconds(full_ms), retry}
`;

type TakeReply = [number, number, number, number];

/** ioredis's error message when `commandTimeout` expires. */
const TIMED_OUT = 'Command timed out';

interface LimiterRedis extends Redis {
  rlTake(key: string, limit: number, windowMs: number, cost: number): Promise<TakeReply>;
}

/** Options of RedisStore. */
export interface RedisStoreOptions {
  /** `redis://[user:pass@]host:port[/db]` (or `rediss://`). */
  url: string;
  logger: Logger;
  metrics?: RateLimitMetrics | undefined;
  /** Answers while Redis is down; default a new LocalStore. */
  fallback?: LocalStore | undefined;
  /** Default `shopnow:rl:`; tests use their own to share one Redis. */
  keyPrefix?: string | undefined;
  /** Longest a take waits on Redis before answering locally. Default 100 ms. */
  commandTimeoutMs?: number | undefined;
  /** While down on a live connection (a hung server), how often a PING checks it is back. Default 500 ms. */
  probeIntervalMs?: number | undefined;
}

const NO_TALLY: Tally = { inc() {} };

/** Buckets shared through Redis, with a local fallback while it is unreachable (see the file comment). */
export class RedisStore implements RateLimitStore {
  readonly #client: LimiterRedis;
  readonly #fallback: LocalStore;
  readonly #logger: Logger;
  readonly #metrics: RateLimitMetrics | undefined;
  readonly #prefix: string;
  readonly #probeIntervalMs: number;
  readonly #redisTally: Tally;
  readonly #fallbackTally: Tally;
  /** connecting: not yet ready (first start); up: shared; down: an outage, logged once. */
  #state: 'connecting' | 'up' | 'down' = 'connecting';
  #probe: NodeJS.Timeout | undefined;
  /** A PING is checking whether a timed-out take means an outage. */
  #verifying = false;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#fallback = options.fallback ?? new LocalStore();
    this.#prefix = options.keyPrefix ?? REDIS_KEY_PREFIX;
    this.#probeIntervalMs = options.probeIntervalMs ?? 500;
    this.#redisTally = options.metrics?.checks.redis ?? NO_TALLY;
    this.#fallbackTally = options.metrics?.checks.fallback ?? NO_TALLY;
    this.#metrics?.setRedisUp(false);
    const client = new Redis(options.url, {
      // Fail fast, answer locally: a request must never queue behind an unreachable Redis.
      commandTimeout: options.commandTimeoutMs ?? 100,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // A take that may have run must not run again after a reconnect (it would charge twice).
      autoResendUnfulfilledCommands: false,
      // No auto-pipelining: it keeps one batch in flight and queues the next behind it, so a
      // hung server would make a take wait up to twice the command timeout. Each take is
      // written at once; takes issued together still travel together.
      enableAutoPipelining: false,
      connectTimeout: 1_000,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 1_000),
      connectionName: 'shopnow-gateway-ratelimit',
    }) as LimiterRedis;
    // EVALSHA, with ioredis falling back to EVAL when the server does not know the script yet.
    client.defineCommand('rlTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    client.on('ready', () => this.#markUp());
    client.on('error', (err: Error) => this.#markDown(err.message));
    client.on('close', () => this.#markDown('connection closed'));
    this.#client = client;
  }

  /** True while takes go to Redis. */
  get shared(): boolean {
    return this.#state === 'up';
  }

  take(key: string, bucket: Bucket, cost = 1): Promise<RateDecision> {
    if (this.#state !== 'up') return Promise.resolve(this.#takeLocally(key, bucket, cost));
    return this.#client.rlTake(this.#prefix + key, bucket.limit, bucket.windowSeconds * 1000, cost).then(
      (reply) => {
        this.#redisTally.inc();
        return {
          allowed: reply[0] === 1,
          limit: bucket.limit,
          remaining: reply[1],
          resetSeconds: reply[2],
          retryAfterSeconds: reply[3],
        };
      },
      (err: Error) => {
        this.#failed(err);
        return this.#takeLocally(key, bucket, cost);
      },
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopProbe();
    this.#client.removeAllListeners();
    // Errors from here on (a refused QUIT, a dead socket) are expected and uninteresting.
    this.#client.on('error', () => {});
    await this.#client.quit().catch(() => this.#client.disconnect());
    await this.#fallback.close();
  }

  #takeLocally(key: string, bucket: Bucket, cost: number): RateDecision {
    this.#fallbackTally.inc();
    return this.#fallback.takeSync(key, bucket, cost);
  }

  /**
   * A take failed. A broken connection is an outage at once. A timeout on a live connection may
   * be a hung server or only a slow moment (a busy event loop, a burst): that take is answered
   * locally, and a PING decides — an outage only if it times out too.
   */
  #failed(err: Error): void {
    if (err.message !== TIMED_OUT || this.#client.status !== 'ready') {
      this.#markDown(err.message);
      return;
    }
    if (this.#verifying) return;
    this.#verifying = true;
    this.#client.ping().then(
      () => {
        this.#verifying = false;
      },
      (pingErr: Error) => {
        this.#verifying = false;
        this.#markDown(`${err.message}; PING: ${pingErr.message}`);
      },
    );
  }

  #markUp(): void {
    if (this.#closed || this.#state === 'up') return;
    if (this.#state === 'down') this.#logger.info('rate limiter: Redis is back; limits are shared again');
    this.#state = 'up';
    this.#stopProbe();
    this.#metrics?.setRedisUp(true);
  }

  #markDown(reason: string): void {
    if (this.#closed) return;
    if (this.#state !== 'down') {
      this.#logger.warn(
        { reason },
        'rate limiter: Redis is unreachable; each gateway replica limits on its own until it is back',
      );
      this.#state = 'down';
      this.#metrics?.setRedisUp(false);
    }
    // A dead connection reconnects by itself and says `ready`; a live one to a hung server
    // never does, so a probe checks it.
    if (this.#client?.status === 'ready' && this.#probe === undefined) {
      this.#probe = setInterval(() => {
        if (this.#client.status !== 'ready') return;
        this.#client.ping().then(
          () => this.#markUp(),
          () => {},
        );
      }, this.#probeIntervalMs);
      this.#probe.unref();
    }
  }

  #stopProbe(): void {
    if (this.#probe !== undefined) clearInterval(this.#probe);
    this.#probe = undefined;
  }
}
