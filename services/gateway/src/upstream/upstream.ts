import { performance } from 'node:perf_hooks';
import type { Discovery, Logger } from '@shopnow/chassis';
import type { Dispatcher, Pool } from 'undici';
import { Balancer } from './balancer.ts';
import { type BreakerState, DENIED, TRIAL, UpstreamBreaker } from './breaker.ts';
import { type AttemptFailure, classifyError } from './classify-error.ts';
import { FailureWindow } from './ejection.ts';
import { UpstreamError } from './errors.ts';
import type { ForwardRequest, ForwardResponse, UpstreamStatus } from './forward-types.ts';
import { checkHealth } from './health-checker.ts';
import {
  ATTEMPT_OUTCOMES,
  Instance,
  OUTCOME_CONNECT_FAILED,
  OUTCOME_CONNECTION_RESET,
  OUTCOME_TIMEOUT,
} from './instance.ts';
import { discardBody, ResponseHandler, type UpstreamAnswer } from './response-handler.ts';
import { breakerSettingsChanged, poolSettingsChanged, type UpstreamSettings } from './settings.ts';

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** How often requests to an upstream with no known instance may ask discovery again. */
const REDISCOVER_MS = 250;

/** Whether a method is safe to repeat by its definition (RFC 9110 §9.2.2). */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method);
}

/** Label values of `gateway_upstream_requests_total{outcome}` for calls refused before any attempt. */
export const REJECTION_OUTCOMES = ['no_instances', 'breaker_open', 'overloaded'] as const;
const REJECTED_NO_INSTANCES = 0;
const REJECTED_BREAKER_OPEN = 1;
const REJECTED_OVERLOADED = 2;

/** Upper bounds (seconds) of `gateway_upstream_request_duration_seconds`: proxy latencies are mostly ms. */
export const DURATION_BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const OUTCOME_BY_FAILURE: Record<AttemptFailure, number> = {
  connect_failed: OUTCOME_CONNECT_FAILED,
  connection_reset: OUTCOME_CONNECTION_RESET,
  timeout: OUTCOME_TIMEOUT,
};

function ignore(): void {}

// The request stops counting as in flight on its instance and its upstream once its exchange is over.
function settleInFlight(instance: Instance): void {
  instance.inFlight--;
  instance.owner.inFlight--;
}

function settleStream(instance: Instance): void {
  instance.owner.streams--;
}

/** One attempt through undici's dispatch interface (see ResponseHandler). */
function attempt(instance: Instance, request: ForwardRequest, timeoutMs: number): Promise<UpstreamAnswer> {
  const stream = request.stream === true;
  return new Promise((resolve, reject) => {
    const handler = new ResponseHandler(
      request.method,
      request.signal,
      (err, answer) => (err === null ? resolve(answer as UpstreamAnswer) : reject(err)),
      stream ? () => settleStream(instance) : () => settleInFlight(instance),
    );
    (stream ? instance.streamPool : instance.pool).dispatch(
      {
        method: request.method as Dispatcher.HttpMethod,
        path: instance.pathPrefix === '' ? request.path : instance.pathPrefix + request.path,
        headers: request.headers,
        body: request.body,
        headersTimeout: timeoutMs,
      },
      handler,
    );
  });
}

function bump(counts: Float64Array, index: number): void {
  counts[index] = (counts[index] as number) + 1;
}

export interface UpstreamOptions {
  name: string;
  settings: UpstreamSettings;
  discovery: Discovery;
  logger: Logger;
  now: () => number;
}

/**
 * One upstream of the route table: its instances (from discovery), balancing, passive ejection,
 * active health checks, circuit breaker, bulkhead and retries. UpstreamSet owns the timers that
 * refresh discovery; this class owns its health-check timer.
 */
export class Upstream {
  readonly name: string;
  settings: UpstreamSettings;
  /** Forwarded requests not finished (until their body closes), for the bulkhead. */
  inFlight = 0;
  /** Long-lived answers open now (routes with `stream: true`), bounded by maxStreams. */
  streams = 0;
  /** The instances balancing chooses from; replaced (never mutated) when discovery changes. */
  instances: readonly Instance[] = [];
  /** Attempts by instance URL and outcome; kept when an instance leaves, so counters never go back. */
  readonly countsByUrl = new Map<string, Float64Array>();
  /** Calls refused before any attempt, by REJECTION_OUTCOMES index. */
  readonly rejections = new Float64Array(REJECTION_OUTCOMES.length);
  /** Attempt durations to headers: per-bucket counts (last is +Inf), sum and count. */
  readonly durationCounts = new Float64Array(DURATION_BOUNDS.length + 1);
  durationSum = 0;
  durationCount = 0;

  readonly #byUrl = new Map<string, Instance>();
  readonly #balancer: Balancer;
  #breaker: UpstreamBreaker;
  readonly #discovery: Discovery;
  readonly #logger: Logger;
  readonly #now: () => number;
  #resolved = false;
  #resolving: Promise<void> | undefined;
  #lastDiscoverAt = Number.NEGATIVE_INFINITY;
  #discoveryFailing = false;
  #healthTimer: NodeJS.Timeout | undefined;
  #healthDispatcher: Dispatcher | undefined;
  #closed = false;

  constructor(options: UpstreamOptions) {
    this.name = options.name;
    this.settings = options.settings;
    this.#discovery = options.discovery;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#balancer = new Balancer(options.settings.balance === 'least_outstanding');
    this.#breaker = this.#createBreaker();
  }

  /** The breaker's state for the admin API and metrics. */
  get breakerState(): BreakerState {
    return this.#breaker.state;
  }

  /**
   * Forwards one request: picks an instance, sends, and retries on another instance when that is
   * safe. Resolves with any upstream answer (a 502/503/504 only after retries ran out); rejects
   * with UpstreamError when there is none, or with undici's error when the caller aborted or the
   * request itself is invalid.
   */
  async forward(request: ForwardRequest): Promise<ForwardResponse> {
    if (this.instances.length === 0) await this.#discoverNow();
    const settings = this.settings;
    const stream = request.stream === true;
    if (stream ? this.streams >= settings.maxStreams : this.inFlight >= settings.maxConcurrent) {
      bump(this.rejections, REJECTED_OVERLOADED);
      throw new UpstreamError('overloaded', this.name);
    }
    const breaker = this.#breaker;
    const permit = breaker.tryAcquire();
    if (permit === DENIED) {
      bump(this.rejections, REJECTED_BREAKER_OPEN);
      throw new UpstreamError('breaker_open', this.name);
    }
    let trial = permit === TRIAL;
    const first = this.#balancer.pick(this.instances, this.#now(), undefined);
    if (first === undefined) {
      breaker.release(trial);
      bump(this.rejections, REJECTED_NO_INSTANCES);
      throw new UpstreamError('no_instances', this.name);
    }
    const idempotent = request.idempotent || IDEMPOTENT_METHODS.has(request.method);
    const timeoutMs = request.timeoutMs ?? settings.timeoutMs;
    const maxAttempts = settings.retries + 1;
    let instance: Instance = first;
    let tried: Instance[] | undefined;
    let attempts = 0;
    for (;;) {
      attempts++;
      // The counts drop when the attempt's exchange is over (settleInFlight, settleStream),
      // whatever its outcome. A stream is not outstanding work for balancing: it only waits.
      if (stream) this.streams++;
      else {
        this.inFlight++;
        instance.inFlight++;
      }
      const started = performance.now();
      let response: UpstreamAnswer;
      try {
        response = await attempt(instance, request, timeoutMs);
      } catch (err) {
        const failure = request.signal?.aborted ? undefined : classifyError(err);
        if (failure === undefined) {
          breaker.release(trial);
          throw err;
        }
        this.#attemptFailed(instance, OUTCOME_BY_FAILURE[failure], failure === 'connect_failed', err);
        breaker.failure(trial);
        trial = false;
        // Anything may be retried when the connection never opened; otherwise only idempotent requests.
        let next: Instance | undefined;
        if (attempts < maxAttempts && (idempotent || failure === 'connect_failed')) {
          tried ??= [];
          next = this.#another(instance, tried);
        }
        if (next === undefined) throw new UpstreamError(failure, this.name, { cause: err });
        instance = next;
        continue;
      }
      const upstreamMs = response.headersAt - started;
      this.#observe(upstreamMs);
      const status = response.status;
      if (status === 502 || status === 503 || status === 504) {
        this.#attemptFailed(instance, 3, false, status);
        breaker.failure(trial);
        trial = false;
        let next: Instance | undefined;
        if (idempotent && attempts < maxAttempts) {
          tried ??= [];
          next = this.#another(instance, tried);
        }
        if (next !== undefined) {
          discardBody(response.body);
          instance = next;
          continue;
        }
      } else {
        bump(instance.counts, status < 300 ? 0 : status < 400 ? 1 : status < 500 ? 2 : 3);
        breaker.success(trial);
      }
      return {
        status,
        headers: response.headers,
        body: response.body,
        instance: instance.url,
        upstreamMs,
        attempts,
      };
    }
  }

  /** Whether any instance is known and neither ejected nor unhealthy. */
  hasAvailableInstances(): boolean {
    const now = this.#now();
    for (const instance of this.instances) if (instance.isAvailable(now)) return true;
    return false;
  }

  /** Replaces the instance list with discovery's answer, keeping the state of instances still there. */
  setInstances(urls: readonly string[]): void {
    this.#resolved = true;
    if (this.#closed) return;
    const wanted = new Set(urls.map((url) => url.replace(/\/+$/, '')));
    if (wanted.size === this.#byUrl.size && [...wanted].every((url) => this.#byUrl.has(url))) return;
    const added: string[] = [];
    for (const url of wanted) {
      if (this.#byUrl.has(url)) continue;
      try {
        this.#byUrl.set(url, this.#createInstance(url));
        added.push(url);
      } catch (err) {
        this.#logger.warn({ upstream: this.name, instance: url, err }, 'discovery returned an invalid URL');
      }
    }
    const removed: Instance[] = [];
    for (const [url, instance] of this.#byUrl) {
      if (!wanted.has(url)) {
        this.#byUrl.delete(url);
        removed.push(instance);
      }
    }
    this.instances = [...this.#byUrl.values()];
    for (const instance of removed) closePool(instance);
    if (added.length > 0 || removed.length > 0) {
      this.#logger.info(
        { upstream: this.name, added, removed: removed.map((instance) => instance.url) },
        'upstream instances changed',
      );
    }
  }

  /** Asks discovery again (the background refresh); failures keep the last list. */
  async refresh(): Promise<void> {
    try {
      // Fresh: this list is the gateway's own cache, refreshed every second; a cached answer on
      // top of it would delay a new replica by the discovery cache's lifetime as well.
      const urls = await this.#discovery.resolve(this.settings.service, { fresh: true });
      if (this.#discoveryFailing) this.#logger.info({ upstream: this.name }, 'discovery answers again');
      this.#discoveryFailing = false;
      this.setInstances(urls);
    } catch (err) {
      if (!this.#discoveryFailing) {
        this.#logger.warn({ upstream: this.name, err }, 'discovery failed; keeping the last instances');
      }
      this.#discoveryFailing = true;
      throw err;
    }
  }

  /** Applies a reloaded spec with the same service, keeping instance state where the change allows. */
  reconfigure(settings: UpstreamSettings): void {
    const previous = this.settings;
    this.settings = settings;
    this.#balancer.leastOutstanding = settings.balance === 'least_outstanding';
    if (breakerSettingsChanged(previous, settings)) this.#breaker = this.#createBreaker();
    if (poolSettingsChanged(previous, settings)) {
      // New pools: recreate every instance (its health state goes with it).
      const urls = [...this.#byUrl.keys()];
      const old = [...this.#byUrl.values()];
      this.#byUrl.clear();
      for (const url of urls) this.#byUrl.set(url, this.#createInstance(url));
      this.instances = [...this.#byUrl.values()];
      for (const instance of old) closePool(instance);
    } else if (
      previous.ejection.failures !== settings.ejection.failures ||
      previous.ejection.windowMs !== settings.ejection.windowMs
    ) {
      for (const instance of this.instances) {
        instance.failures = new FailureWindow(settings.ejection.failures, settings.ejection.windowMs);
      }
    }
    if (this.#healthDispatcher && JSON.stringify(previous.health) !== JSON.stringify(settings.health)) {
      this.startHealthChecks(this.#healthDispatcher);
    }
  }

  /** Runs active health checks every health.intervalMs through the given dispatcher. */
  startHealthChecks(dispatcher: Dispatcher): void {
    this.#healthDispatcher = dispatcher;
    if (this.#healthTimer) clearInterval(this.#healthTimer);
    this.#healthTimer = setInterval(() => this.#checkAll(dispatcher), this.settings.health.intervalMs);
    this.#healthTimer.unref();
  }

  snapshot(): UpstreamStatus {
    const now = this.#now();
    return {
      name: this.name,
      service: this.settings.service,
      balance: this.settings.balance,
      breaker: this.#breaker.state,
      inFlight: this.inFlight,
      streams: this.streams,
      instances: this.instances.map((instance) => ({
        url: instance.url,
        healthy: instance.healthy,
        ...(instance.ejectedUntil > now ? { ejectedUntil: instance.ejectedUntil } : {}),
        inFlight: instance.inFlight,
        ...(instance.lastError === undefined ? {} : { lastError: instance.lastError }),
        failuresInWindow: instance.failures.countAt(now),
      })),
    };
  }

  /** Stops health checks and closes the pools (in-flight requests finish first, within graceMs). */
  async close(graceMs = 5_000): Promise<void> {
    this.#closed = true;
    if (this.#healthTimer) clearInterval(this.#healthTimer);
    const instances = [...this.#byUrl.values()];
    this.#byUrl.clear();
    this.instances = [];
    await Promise.all(instances.map((instance) => closePool(instance, graceMs)));
  }

  #createInstance(url: string): Instance {
    let counts = this.countsByUrl.get(url);
    if (counts === undefined) {
      counts = new Float64Array(ATTEMPT_OUTCOMES.length);
      this.countsByUrl.set(url, counts);
    }
    return new Instance(url, this.settings, this, counts);
  }

  #createBreaker(): UpstreamBreaker {
    return new UpstreamBreaker({
      ...this.settings.breaker,
      now: this.#now,
      onChange: (state) => {
        if (state === 'open') this.#logger.warn({ upstream: this.name }, 'circuit opened');
        else this.#logger.info({ upstream: this.name, state }, `circuit ${state.replace('_', '-')}`);
      },
    });
  }

  /**
   * No instance known: ask discovery now rather than wait for the background refresh, so a service
   * that registers just after the gateway started (or after its last instance left) is used at
   * once. At most once per REDISCOVER_MS after the first resolve: a service with no instance
   * does not cost a lookup per request.
   */
  async #discoverNow(): Promise<void> {
    if (!this.#resolved) return this.#firstResolve();
    const now = this.#now();
    if (this.#resolving === undefined && now - this.#lastDiscoverAt < REDISCOVER_MS) return;
    this.#lastDiscoverAt = now;
    await this.#lookup().catch(() => {}); // a failing discovery leaves the answer no_instances
  }

  async #firstResolve(): Promise<void> {
    try {
      await this.#lookup();
    } catch (err) {
      bump(this.rejections, REJECTED_NO_INSTANCES);
      throw new UpstreamError('no_instances', this.name, { cause: err });
    }
  }

  /** One discovery lookup at a time, shared by every request that asks meanwhile. */
  #lookup(): Promise<void> {
    this.#resolving ??= this.refresh().finally(() => {
      this.#resolving = undefined;
    });
    return this.#resolving;
  }

  /** Another instance for a retry: not one already tried, and never a fallback to an ejected one. */
  #another(failed: Instance, tried: Instance[]): Instance | undefined {
    tried.push(failed);
    return this.#balancer.pick(this.instances, this.#now(), tried);
  }

  #attemptFailed(instance: Instance, outcome: number, refused: boolean, cause: unknown): void {
    bump(instance.counts, outcome);
    instance.lastError =
      typeof cause === 'number' ? `answered ${cause}` : `${ATTEMPT_OUTCOMES[outcome]}: ${describe(cause)}`;
    const now = this.#now();
    // A refused connection means nothing listens there: out at once, not after `failures` tries.
    if (refused || instance.failures.record(now)) {
      const wasEjected = instance.ejectedUntil > now;
      instance.ejectedAt = now;
      instance.ejectedUntil = now + this.settings.ejection.durationMs;
      if (!wasEjected) {
        this.#logger.warn(
          { upstream: this.name, instance: instance.url, reason: instance.lastError },
          'upstream instance ejected',
        );
      }
    }
  }

  #observe(ms: number): void {
    const seconds = ms / 1_000;
    let bucket = 0;
    while (bucket < DURATION_BOUNDS.length && seconds > (DURATION_BOUNDS[bucket] as number)) bucket++;
    bump(this.durationCounts, bucket);
    this.durationSum += seconds;
    this.durationCount++;
  }

  #checkAll(dispatcher: Dispatcher): void {
    const health = this.settings.health;
    for (const instance of this.instances) {
      if (instance.checking) continue;
      instance.checking = true;
      const startedAt = this.#now();
      void checkHealth(dispatcher, instance, health).then((failure) => {
        instance.checking = false;
        if (this.#byUrl.get(instance.url) === instance) this.#healthResult(instance, failure, startedAt);
      });
    }
  }

  #healthResult(instance: Instance, failure: string | undefined, startedAt: number): void {
    const health = this.settings.health;
    const log = { upstream: this.name, instance: instance.url };
    if (failure === undefined) {
      instance.healthFailures = 0;
      instance.healthPasses++;
      if (!instance.healthy && instance.healthPasses >= health.healthyThreshold) {
        instance.healthy = true;
        this.#logger.info(log, 'upstream instance healthy');
      }
      // A check that began after the ejection and passed ends it early (as Envoy does by default).
      if (instance.ejectedUntil > this.#now() && startedAt > instance.ejectedAt) {
        instance.ejectedUntil = 0;
        instance.failures.reset();
        this.#logger.info(log, 'upstream instance back after a passing health check');
      }
    } else {
      instance.healthPasses = 0;
      instance.healthFailures++;
      instance.lastError = failure;
      if (instance.healthy && instance.healthFailures >= health.unhealthyThreshold) {
        instance.healthy = false;
        this.#logger.warn({ ...log, reason: failure }, 'upstream instance unhealthy');
      }
    }
  }
}

function describe(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Closes an instance's pools gracefully (queued requests finish), destroying them if that takes
 * longer than graceMs. Open streams get the same grace: an instance that left discovery for a
 * moment (a late heartbeat under load) keeps its watchers; a stream has no end of its own, so one
 * of a gone instance ends at the grace and its client reconnects.
 */
function closePool(instance: Instance, graceMs = 30_000): Promise<void> {
  const pools =
    instance.openedStreamPool === undefined ? [instance.pool] : [instance.pool, instance.openedStreamPool];
  return Promise.all(pools.map((pool) => closeGracefully(pool, graceMs))).then(ignore);
}

function closeGracefully(pool: Pool, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      pool.destroy().then(resolve, resolve);
    }, graceMs);
    timer.unref();
  });
  return Promise.race([pool.close().catch(ignore), grace]).finally(() => clearTimeout(timer));
}
