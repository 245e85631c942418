// A client that keeps trying as a real one does when the platform stumbles: the request died with
// a killed process (no answer, or the gateway's 5xx for it), a rate limit (429, Retry-After), or
// the same Idempotency-Key is still in progress (409). The caller's `send` is repeated as is, so a
// write goes again with the SAME Idempotency-Key: at most one order per key, whatever happened.
import type { ApiResponse } from './api-client.ts';

export interface Patience {
  /** Gives up (throws) after this long in all. Default 2 minutes. */
  timeoutMs?: number;
  /** Told each time an answer is retried, with why (`network`, `503`, `429`, `idempotency_in_progress`). */
  onRetry?: (reason: string) => void;
}

const FIRST_DELAY_MS = 200;
const MAX_DELAY_MS = 2000;

/** Why an answer is worth another try, or undefined when it is final (any 2xx or other 4xx). */
function retryReason(res: ApiResponse): string | undefined {
  if (res.status >= 500 || res.status === 429) return String(res.status);
  const code = (res.body as { code?: unknown } | undefined)?.code;
  if (res.status === 409 && code === 'idempotency_in_progress') return code;
  return undefined;
}

/** Seconds of a Retry-After header as milliseconds (the delta form the gateway sends). */
function retryAfterMs(res: ApiResponse): number | undefined {
  const seconds = Number(res.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** `send()` until its answer is final; throws with the last answer or error once `timeoutMs` is spent. */
export async function sendPatiently<T>(
  what: string,
  send: () => Promise<ApiResponse<T>>,
  { timeoutMs = 120_000, onRetry }: Patience = {},
): Promise<ApiResponse<T>> {
  const deadline = Date.now() + timeoutMs;
  let backoff = FIRST_DELAY_MS;
  for (;;) {
    let reason: string;
    let waitMs: number | undefined;
    let last: string;
    try {
      const res = await send();
      const retry = retryReason(res);
      if (retry === undefined) return res;
      reason = retry;
      waitMs = res.status === 429 ? retryAfterMs(res) : undefined;
      last = `${res.status} ${res.text.slice(0, 500)}`;
    } catch (err) {
      // fetch rejects when the connection is refused or dropped: no answer at all.
      reason = 'network';
      last = String((err as Error).cause ?? err);
    }
    // Jittered, so the clients a crash interrupted together do not come back together.
    const delay = waitMs ?? backoff * (0.5 + Math.random() / 2);
    if (Date.now() + delay > deadline) {
      throw new Error(`${what}: no final answer within ${timeoutMs} ms; last: ${last}`);
    }
    onRetry?.(reason);
    await new Promise((r) => setTimeout(r, delay));
    backoff = Math.min(MAX_DELAY_MS, backoff * 2);
  }
}
