import type { BreakerState } from './breaker.ts';
import type { UpstreamBody } from './response-handler.ts';

/** One request to forward to an upstream. Hop-by-hop headers must already be stripped (undici refuses some). */
export interface ForwardRequest {
  method: string;
  /** Path on the instance, with `?query`. */
  path: string;
  headers: Record<string, string | string[]>;
  /** Buffered, so it can be sent again on a retry. */
  body?: Buffer | undefined;
  /** The caller vouches the request is safe to repeat (GET/HEAD/PUT/DELETE/OPTIONS always are). */
  idempotent: boolean;
  /** Route override of the upstream's timeout: per attempt, until response headers. */
  timeoutMs?: number | undefined;
  /** Aborts the attempt (the client went away); forward then rejects with undici's abort error. */
  signal?: AbortSignal;
  /**
   * A long-lived answer (server-sent events): sent on a connection of its own and counted against
   * the upstream's maxStreams, not its maxConcurrent, so open streams never crowd out requests.
   */
  stream?: boolean | undefined;
}

/** The upstream's answer: a small one whole, a large or unsized one with its body still streaming. */
export interface ForwardResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /**
   * The body: a Buffer when it was small and sized (see BUFFERED_BODY_MAX_BYTES), else a stream
   * the caller must consume or destroy (`readBody`, `discardBody`): the request counts as in
   * flight (bulkhead, least outstanding) until that stream ends or is destroyed.
   */
  body: UpstreamBody;
  /** Base URL of the instance that answered. */
  instance: string;
  /** Time from sending the last attempt to its response headers, in ms. */
  upstreamMs: number;
  /** Attempts made (1 + retries). */
  attempts: number;
}

/** One instance in the admin API. */
export interface InstanceStatus {
  url: string;
  /** The active health checks' verdict. */
  healthy: boolean;
  /** Epoch ms when a passive ejection ends; absent when not ejected. */
  ejectedUntil?: number;
  inFlight: number;
  lastError?: string;
  /** Failures counted towards passive ejection within its window. */
  failuresInWindow: number;
}

/** One upstream in the admin API. */
export interface UpstreamStatus {
  name: string;
  service: string;
  balance: 'round_robin' | 'least_outstanding';
  breaker: BreakerState;
  inFlight: number;
  /** Long-lived answers (stream routes) open now. */
  streams: number;
  instances: InstanceStatus[];
}
