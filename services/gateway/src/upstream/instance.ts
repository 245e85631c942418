import { Pool } from 'undici';
import { FailureWindow } from './ejection.ts';
import type { UpstreamSettings } from './settings.ts';

/** Label values of `gateway_upstream_requests_total{outcome}` for attempts, by index. */
export const ATTEMPT_OUTCOMES = [
  '2xx',
  '3xx',
  '4xx',
  '5xx',
  'connect_failed',
  'connection_reset',
  'timeout',
] as const;
export const OUTCOME_CONNECT_FAILED = 4;
export const OUTCOME_CONNECTION_RESET = 5;
export const OUTCOME_TIMEOUT = 6;

/** Owner of an instance's counters, decremented when a forwarded response's body is done. */
export interface InFlightOwner {
  inFlight: number;
  /** Long-lived answers (server-sent events) open now; counted apart from `inFlight`. */
  streams: number;
}

/**
 * One instance of an upstream (a base URL from discovery): its keep-alive connection pool and
 * everything known about its health. Plain mutable fields, read and bumped on the hot path.
 */
export class Instance {
  /** The base URL as discovery gave it (trailing slashes removed). */
  readonly url: string;
  /** Path of the base URL, prefixed to every request path ('' for a bare origin). */
  readonly pathPrefix: string;
  readonly pool: Pool;
  /**
   * Connections for long-lived answers (a route with `stream: true`), made on first use: one per
   * open stream, outside `pool`, so that streams held open for minutes never take the keep-alive
   * connections every other request needs.
   */
  #streamPool: Pool | undefined;
  readonly #origin: string;
  readonly #connectTimeoutMs: number;
  readonly owner: InFlightOwner;
  /** Requests sent and not finished (until the response body is consumed or destroyed). */
  inFlight = 0;
  /** Active health checks' verdict; a new instance is assumed healthy until a check fails. */
  healthy = true;
  /** Epoch ms until which passive ejection keeps traffic away (0: not ejected). */
  ejectedUntil = 0;
  /** When the current ejection began: only a health check started after it may end it early. */
  ejectedAt = 0;
  lastError: string | undefined;
  failures: FailureWindow;
  healthPasses = 0;
  healthFailures = 0;
  checking = false;
  /** Attempts by outcome (ATTEMPT_OUTCOMES order), shared with the upstream's metrics. */
  readonly counts: Float64Array;

  constructor(url: string, settings: UpstreamSettings, owner: InFlightOwner, counts: Float64Array) {
    const parsed = new URL(url);
    this.url = url;
    this.pathPrefix = parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/+$/, '');
    this.owner = owner;
    this.counts = counts;
    this.failures = new FailureWindow(settings.ejection.failures, settings.ejection.windowMs);
    this.#origin = parsed.origin;
    this.#connectTimeoutMs = settings.connectTimeoutMs;
    this.pool = new Pool(parsed.origin, {
      connections: settings.connections,
      pipelining: 1,
      connect: { timeout: settings.connectTimeoutMs },
      // Below Node's default server keep-alive (5 s) so the gateway, not the upstream, closes idle
      // sockets; undici also honours a shorter `Keep-Alive: timeout=` hint from the upstream.
      keepAliveTimeout: 4_000,
    });
  }

  get streamPool(): Pool {
    this.#streamPool ??= new Pool(this.#origin, {
      connections: null, // one per stream; the upstream's maxStreams bounds them
      pipelining: 1,
      connect: { timeout: this.#connectTimeoutMs },
    });
    return this.#streamPool;
  }

  /** The stream connections, when any stream was ever sent (for closing). */
  get openedStreamPool(): Pool | undefined {
    return this.#streamPool;
  }

  /** Whether balancing may choose it now. */
  isAvailable(now: number): boolean {
    return this.healthy && this.ejectedUntil <= now;
  }
}
