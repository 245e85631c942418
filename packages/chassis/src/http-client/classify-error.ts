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

function codesOf(err: unknown): string[] {
  const code = (err as { code?: unknown } | null)?.code;
  const own = typeof code === 'string' ? [code] : [];
  // Happy-eyeballs connects (several addresses) fail with an AggregateError of the attempts.
  const nested = err instanceof AggregateError ? err.errors.flatMap(codesOf) : [];
  return [...own, ...nested];
}

/** Maps an undici/network error of one attempt onto what it means for retrying and ejection. */
export function classifyError(err: unknown, service: string, attemptSignal: AbortSignal): UpstreamError {
  if (err instanceof UpstreamError) return err;
  let failure: UpstreamFailure;
  if (attemptSignal.aborted) failure = 'timeout';
  else {
    const codes = codesOf(err);
    failure =
      codes.length > 0 && codes.every((code) => NEVER_CONNECTED.has(code))
        ? 'unreachable'
        : 'connection_failed';
  }
  return new UpstreamError(service, failure, { cause: err });
}
