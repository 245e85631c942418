import type { Discovery, Logger, Registry } from '@shopnow/chassis';
import type { Agent } from 'undici';
import type { UpstreamSpec } from '../routes/route-table-schema.ts';
import { UpstreamError } from './errors.ts';
import type { ForwardRequest, ForwardResponse, UpstreamStatus } from './forward-types.ts';
import { createHealthAgent } from './health-checker.ts';
import { resolveSettings } from './settings.ts';
import { Upstream } from './upstream.ts';
import { registerUpstreamMetrics } from './upstream-metrics.ts';

export type { BreakerState } from './breaker.ts';
export { UpstreamError, type UpstreamErrorKind } from './errors.ts';
export type { ForwardRequest, ForwardResponse, InstanceStatus, UpstreamStatus } from './forward-types.ts';
export { discardBody, readBody, type UpstreamBody } from './response-handler.ts';
export { isIdempotentMethod } from './upstream.ts';

export interface UpstreamSetOptions {
  discovery: Discovery;
  /** The route table's `upstreams`, by name. */
  upstreams: ReadonlyMap<string, UpstreamSpec>;
  logger: Logger;
  /** Registers the gateway_upstream_* metrics here when given. */
  metrics?: Registry;
  /** Clock for ejection, health and breaker timing (epoch ms); tests may pass their own. */
  now?: () => number;
  /** How often discovery is asked again. Default 1 s. */
  discoveryRefreshMs?: number;
}

/**
 * Every upstream of the route table, by name: the gateway's one way to reach services.
 * Instances come from discovery (asked in the background; a request never waits for it except
 * the very first one of an upstream), balanced round robin or by least outstanding requests
 * over keep-alive pools, with active health checks, passive ejection, retries on another
 * instance, per-attempt timeouts, a circuit breaker and a bulkhead per upstream.
 *
 * An ejected instance returns when its ejection time is up, or earlier when an active health
 * check that started after the ejection passes (Envoy's default).
 */
export class UpstreamSet {
  readonly #discovery: Discovery;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #refreshMs: number;
  readonly #upstreams = new Map<string, Upstream>();
  #specs = new Map<string, string>();
  #healthAgent: Agent | undefined;
  #refreshTimer: NodeJS.Timeout | undefined;
  #refreshing = false;
  #closed = false;

  constructor(options: UpstreamSetOptions) {
    this.#discovery = options.discovery;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#refreshMs = options.discoveryRefreshMs ?? 1_000;
    this.update(options.upstreams);
    if (options.metrics) registerUpstreamMetrics(options.metrics, () => this.#upstreams.values(), this.#now);
  }

  /** Starts the background work: discovery refresh (now, then every ~1 s) and active health checks. */
  start(): void {
    if (this.#closed || this.#refreshTimer) return;
    this.#healthAgent = createHealthAgent();
    for (const upstream of this.#upstreams.values()) upstream.startHealthChecks(this.#healthAgent);
    void this.#refresh();
    this.#refreshTimer = setInterval(() => void this.#refresh(), this.#refreshMs);
    this.#refreshTimer.unref();
  }

  /**
   * Applies a reloaded route table: adds new upstreams, closes removed ones (their in-flight
   * requests finish), reconfigures changed ones in place (instance state is kept unless the pool
   * settings or the service changed) and leaves unchanged ones alone.
   */
  update(upstreams: ReadonlyMap<string, UpstreamSpec>): void {
    const specs = new Map<string, string>();
    for (const [name, spec] of upstreams) {
      const json = JSON.stringify(spec);
      specs.set(name, json);
      const existing = this.#upstreams.get(name);
      if (existing && this.#specs.get(name) === json) continue;
      const settings = resolveSettings(spec);
      if (existing && existing.settings.service === settings.service) {
        existing.reconfigure(settings);
        continue;
      }
      if (existing) void existing.close();
      const upstream = new Upstream({
        name,
        settings,
        discovery: this.#discovery,
        logger: this.#logger,
        now: this.#now,
      });
      this.#upstreams.set(name, upstream);
      if (this.#healthAgent) {
        upstream.startHealthChecks(this.#healthAgent);
        void upstream.refresh().catch(() => {});
      }
    }
    for (const [name, upstream] of this.#upstreams) {
      if (!specs.has(name)) {
        this.#upstreams.delete(name);
        void upstream.close();
      }
    }
    this.#specs = specs;
  }

  /**
   * Forwards a request to the named upstream. Resolves with the upstream's answer (whatever its
   * status; a small body whole, a large one streaming); rejects with UpstreamError (status 502/503/504) when there is none,
   * or with undici's error when `request.signal` aborted or the request is invalid.
   */
  forward(upstream: string, request: ForwardRequest): Promise<ForwardResponse> {
    const target = this.#upstreams.get(upstream);
    if (target === undefined) return Promise.reject(new UpstreamError('unknown_upstream', upstream));
    return target.forward(request);
  }

  /** Whether the upstream has an instance that is known, healthy and not ejected (canary splits skip it otherwise). */
  hasInstances(upstream: string): boolean {
    return this.#upstreams.get(upstream)?.hasAvailableInstances() ?? false;
  }

  /** Every upstream's state, for the admin API. */
  snapshot(): UpstreamStatus[] {
    return [...this.#upstreams.values()].map((upstream) => upstream.snapshot());
  }

  /** Stops the timers and closes every pool (in-flight requests get a few seconds to finish). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#refreshTimer) clearInterval(this.#refreshTimer);
    const upstreams = [...this.#upstreams.values()];
    this.#upstreams.clear();
    await Promise.all(upstreams.map((upstream) => upstream.close()));
    await this.#healthAgent?.close();
  }

  async #refresh(): Promise<void> {
    if (this.#refreshing) return; // a slow discovery: do not pile up lookups
    this.#refreshing = true;
    try {
      await Promise.allSettled([...this.#upstreams.values()].map((upstream) => upstream.refresh()));
    } finally {
      this.#refreshing = false;
    }
  }
}
