import { neverConnected } from '@shopnow/chassis';

/** What a failed attempt means: whether the request can have reached the instance, and how to report it. */
export type AttemptFailure = 'connect_failed' | 'connection_reset' | 'timeout';

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'ETIMEDOUT']);

// Errors of the request itself (bad header, invalid method): the caller's bug, not the instance's.
const CALLER_ERRORS = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_ARG_TYPE']);

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Maps an undici error of one attempt onto a failure kind, or undefined when the error is the
 * caller's (an invalid request), which must neither be retried nor counted against the instance.
 */
export function classifyError(err: unknown): AttemptFailure | undefined {
  if (neverConnected(err)) return 'connect_failed';
  const code = codeOf(err);
  if (TIMEOUTS.has(code)) return 'timeout';
  if (CALLER_ERRORS.has(code)) return undefined;
  return 'connection_reset';
}
