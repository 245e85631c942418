import { AppError, commonErrors } from '../errors.ts';

/**
 * Why a call to another service produced no response:
 * - `unreachable`: no connection could be opened (refused, connect timeout, no route);
 *   the request was never sent.
 * - `connection_failed`: the connection broke after the request may have been sent.
 * - `timeout`: no complete answer within the time budget.
 * - `circuit_open`: recent calls failed; this one was not attempted.
 * - `bulkhead_full`: too many calls to this service are already in flight.
 * - `no_instances`: discovery knows no instance of the service.
 */
export type UpstreamFailure =
  | 'unreachable'
  | 'connection_failed'
  | 'timeout'
  | 'circuit_open'
  | 'bulkhead_full'
  | 'no_instances';

const DESCRIPTIONS: Record<UpstreamFailure, string> = {
  unreachable: 'could not be reached',
  connection_failed: 'dropped the connection',
  timeout: 'did not answer in time',
  circuit_open: 'is failing (circuit open)',
  bulkhead_full: 'has too many calls in flight',
  no_instances: 'has no running instances',
};

/**
 * An outbound call that failed. It is an AppError, so a handler that lets it propagate
 * answers 503 (504 for a timeout) as a problem+json, never a bare 500.
 */
export class UpstreamError extends AppError {
  readonly service: string;
  readonly failure: UpstreamFailure;
  /** False when the request certainly never reached the service (safe to retry anything). */
  readonly maybeSent: boolean;

  constructor(service: string, failure: UpstreamFailure, options?: ErrorOptions) {
    super(
      failure === 'timeout' ? commonErrors.gateway_timeout : commonErrors.unavailable,
      `Upstream service ${service} ${DESCRIPTIONS[failure]}`,
      undefined,
      options,
    );
    this.name = 'UpstreamError';
    this.service = service;
    this.failure = failure;
    this.maybeSent = failure === 'connection_failed' || failure === 'timeout';
  }
}
