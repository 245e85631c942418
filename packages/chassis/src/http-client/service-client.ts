import type { Logger } from 'pino';
import { Agent, type Dispatcher } from 'undici';
import type { Discovery } from '../discovery/discovery.ts';
import { type BackoffOptions, backoffDelay, sleepUnless } from './backoff.ts';
import { type EjectionOptions, InstanceBalancer } from './balancer.ts';
import { classifyError } from './classify-error.ts';
import { type BreakerOptions, createUpstreamPolicies } from './policies.ts';
import { propagationHeaders } from './propagation.ts';
import { timeoutSignal } from './timeout-signal.ts';
import { UpstreamError } from './upstream-error.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ServiceClientOptions {
  /** The upstream service's name in discovery. */
  service: string;
  discovery: Discovery;
  /** Budget for a whole call, retries and backoff included. Default 5 s. */
  timeoutMs?: number;
  /** Cap on one attempt, so a hung instance leaves budget to retry elsewhere. Default: the whole budget. */
  attemptTimeoutMs?: number;
  /** Extra attempts after the first. Default 2. */
  retries?: number;
  backoff?: BackoffOptions;
  /** Circuit breaker for this upstream; `false` disables it. */
  breaker?: BreakerOptions | false;
  /** Calls in flight to this upstream at once (bulkhead). Default 64. */
  maxConcurrent?: number;
  /** Calls that may wait for a bulkhead slot; beyond that a call fails at once. Default 0. */
  maxQueued?: number;
  ejection?: EjectionOptions;
  /** TCP connect timeout. Default 1 s. */
  connectTimeoutMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

type QueryValue = string | number | boolean | undefined | null;

export interface ServiceRequest {
  method: HttpMethod;
  /** Path on the service, e.g. `/products/42`. */
  path: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string or bytes. */
  body?: unknown;
  timeoutMs?: number;
  /** Declare a POST/PATCH safe to retry (e.g. it carries an Idempotency-Key). */
  idempotent?: boolean;
}

export interface ServiceResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the response says so, else text (undefined when empty). */
  body: T;
}

export interface ServiceClient {
  /** Resolves with any HTTP status; rejects with UpstreamError when there is no response. */
  request<T = unknown>(request: ServiceRequest): Promise<ServiceResponse<T>>;
  close(): Promise<void>;
}

const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
// Answers that mean "this instance cannot serve right now", worth trying again elsewhere.
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

interface Prepared {
  method: HttpMethod;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  idempotent: boolean;
}

/**
 * The one way services call each other: undici connection pools, per-call time budget,
 * jittered retries (idempotent calls, or any call whose connection never opened), a
 * circuit breaker and a bulkhead per upstream service, round robin over its instances
 * with passive ejection, and request-id/trace propagation.
 */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const { service, discovery } = options;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const retries = options.retries ?? 2;
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 1_000 },
    keepAliveTimeout: 4_000,
  });
  const balancer = new InstanceBalancer(options.ejection);
  const policies = createUpstreamPolicies(service, options);

  async function attempt(request: Prepared, deadline: AbortSignal): Promise<ServiceResponse> {
    const urls = await discovery.resolve(service).catch((err: unknown) => {
      throw new UpstreamError(service, 'no_instances', { cause: err });
    });
    if (urls.length === 0) throw new UpstreamError(service, 'no_instances');
    const instance = balancer.pick(urls);
    const attemptTimeout = options.attemptTimeoutMs ? timeoutSignal(options.attemptTimeoutMs) : undefined;
    const signal = attemptTimeout ? AbortSignal.any([deadline, attemptTimeout.signal]) : deadline;
    try {
      const response = await send(agent, instance, request, signal);
      if (response.status >= 500) balancer.failed(instance, false);
      else balancer.succeeded(instance);
      return response;
    } catch (err) {
      const failure = classifyError(err, service, signal);
      balancer.failed(instance, failure.failure === 'unreachable');
      throw failure;
    } finally {
      attemptTimeout?.clear();
    }
  }

  async function withRetries(request: Prepared, deadline: AbortSignal): Promise<ServiceResponse> {
    for (let retry = 0; ; retry++) {
      let outcome: ServiceResponse | UpstreamError;
      try {
        outcome = await policies.breaker(() => attempt(request, deadline));
        if (!request.idempotent || !RETRYABLE_STATUSES.has(outcome.status)) return outcome;
      } catch (err) {
        outcome = err instanceof UpstreamError ? err : classifyError(err, service, deadline);
        if (!mayRetry(outcome, request.idempotent, deadline)) throw outcome;
      }
      if (retry >= retries || deadline.aborted) return settle(outcome);
      try {
        await sleepUnless(backoffDelay(retry, options.backoff), deadline);
      } catch {
        return settle(timeoutOr(outcome, service));
      }
    }
  }

  return {
    async request<T>(request: ServiceRequest): Promise<ServiceResponse<T>> {
      const deadline = timeoutSignal(request.timeoutMs ?? timeoutMs);
      const prepared = prepare(request);
      try {
        return (await policies.bulkhead(() => withRetries(prepared, deadline.signal))) as ServiceResponse<T>;
      } finally {
        deadline.clear();
      }
    },
    close: () => agent.close(),
  };
}

function mayRetry(failure: UpstreamError, idempotent: boolean, deadline: AbortSignal): boolean {
  if (deadline.aborted) return false;
  switch (failure.failure) {
    case 'unreachable':
    case 'no_instances':
      return true; // nothing was sent, so even a POST is safe to repeat
    case 'connection_failed':
    case 'timeout': // an attempt timeout; the overall deadline was checked above
      return idempotent;
    default:
      return false;
  }
}

function settle(outcome: ServiceResponse | UpstreamError): ServiceResponse {
  if (outcome instanceof UpstreamError) throw outcome;
  return outcome;
}

function timeoutOr(
  outcome: ServiceResponse | UpstreamError,
  service: string,
): ServiceResponse | UpstreamError {
  return outcome instanceof UpstreamError
    ? new UpstreamError(service, 'timeout', { cause: outcome })
    : outcome;
}

function prepare(request: ServiceRequest): Prepared {
  const headers: Record<string, string> = { ...propagationHeaders() };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: string | Uint8Array | undefined;
  if (typeof request.body === 'string' || request.body instanceof Uint8Array) body = request.body;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  return {
    method: request.method,
    path: withQuery(request.path, request.query),
    headers,
    body,
    idempotent: request.idempotent ?? IDEMPOTENT_METHODS.has(request.method),
  };
}

function withQuery(path: string, query: ServiceRequest['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) params.append(name, String(item));
    }
  }
  const search = params.toString();
  return search ? `${path}${path.includes('?') ? '&' : '?'}${search}` : path;
}

async function send(
  dispatcher: Dispatcher,
  instance: string,
  request: Prepared,
  signal: AbortSignal,
): Promise<ServiceResponse> {
  const base = new URL(instance);
  const response = await dispatcher.request({
    origin: base.origin,
    path: `${base.pathname.replace(/\/+$/, '')}${request.path}`,
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal,
  });
  const text = await response.body.text();
  const contentType = String(response.headers['content-type'] ?? '');
  return { status: response.statusCode, headers: response.headers, body: parseBody(text, contentType) };
}

function parseBody(text: string, contentType: string): unknown {
  if (text === '') return undefined;
  if (!/[/+]json\b/.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
