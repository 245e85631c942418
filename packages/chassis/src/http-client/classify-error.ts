import { UpstreamError, type UpstreamFailure } from './upstream-error.ts';

// Failures while opening the connection: the request was certainly never sent.
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Whether a failed attempt certainly never sent its request (so even a POST may go again). */
export function neverConnected(err: unknown): boolean {
  if (NEVER_CONNECTED.has(codeOf(err))) return true;
  // Happy-eyeballs connects (several addresses) fail with an AggregateError of the attempts.
  return err instanceof AggregateError && err.errors.length > 0 && err.errors.every(neverConnected);
}

/** Maps an undici/network error of one attempt onto what it means for retrying and ejection. */
export function classifyError(err: unknown, service: string, attemptSignal: AbortSignal): UpstreamError {
  if (err instanceof UpstreamError) return err;
  let failure: UpstreamFailure;
  if (attemptSignal.aborted) failure = 'timeout';
  else failure = neverConnected(err) ? 'unreachable' : 'connection_failed';
  return new UpstreamError(service, failure, { cause: err });
}
