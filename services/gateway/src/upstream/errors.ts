import { AppError, commonErrors } from '@shopnow/chassis';

/**
 * Why forwarding produced no upstream response:
 * - `unknown_upstream`: the route names an upstream the route table does not declare (502).
 * - `no_instances`: discovery knows no instance, or every one was tried (503).
 * - `breaker_open`: the upstream's circuit is open; nothing was sent (503).
 * - `overloaded`: `maxConcurrent` requests are already in flight to it; nothing was sent (503).
 * - `connect_failed`: no connection could be opened (refused, unreachable, connect timeout) (502).
 * - `connection_reset`: the connection broke after the request may have been sent (502).
 * - `timeout`: no response headers within the attempt's timeout (504).
 */
export type UpstreamErrorKind =
  | 'no_instances'
  | 'breaker_open'
  | 'overloaded'
  | 'timeout'
  | 'connect_failed'
  | 'connection_reset'
  | 'unknown_upstream';

const DETAILS: Record<UpstreamErrorKind, string> = {
  no_instances: 'The upstream service has no available instances',
  breaker_open: 'The upstream service is failing; requests are paused briefly (circuit open)',
  overloaded: 'The upstream service has too many requests in flight',
  timeout: 'The upstream service did not answer in time',
  connect_failed: 'The upstream service could not be reached',
  connection_reset: 'The upstream service dropped the connection',
  unknown_upstream: 'The route points to an unknown upstream',
};

const STATUS: Record<UpstreamErrorKind, 502 | 503 | 504> = {
  no_instances: 503,
  breaker_open: 503,
  overloaded: 503,
  timeout: 504,
  connect_failed: 502,
  connection_reset: 502,
  unknown_upstream: 502,
};

const DEFS = {
  502: commonErrors.bad_gateway,
  503: commonErrors.unavailable,
  504: commonErrors.gateway_timeout,
};

/**
 * Forwarding failed without an upstream response. An AppError (codes `bad_gateway`,
 * `unavailable`, `gateway_timeout`), so the chassis error handler renders it as problem+json
 * with `status`; the detail never names the upstream (internal), `upstream` and `kind` are for logs.
 */
export class UpstreamError extends AppError {
  readonly kind: UpstreamErrorKind;
  readonly upstream: string;

  constructor(kind: UpstreamErrorKind, upstream: string, options?: ErrorOptions) {
    super(DEFS[STATUS[kind]], DETAILS[kind], undefined, options);
    this.name = 'UpstreamError';
    this.kind = kind;
    this.upstream = upstream;
  }

  override get status(): 502 | 503 | 504 {
    return STATUS[this.kind];
  }
}
