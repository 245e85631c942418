import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffOptions {
  /** Upper bound of the first retry's delay. Default 50 ms. */
  initialMs?: number;
  /** Cap on any delay. Default 1 s. */
  maxMs?: number;
}

/**
 * "Full jitter" exponential backoff: a random delay in [0, min(max, initial * 2^n)], which
 * spreads the retries of many callers instead of letting them hit a recovering service in
 * synchronised waves.
 */
export function backoffDelay(retry: number, options: BackoffOptions = {}): number {
  const ceiling = Math.min(options.maxMs ?? 1_000, (options.initialMs ?? 50) * 2 ** retry);
  return Math.random() * ceiling;
}

/** Sleeps, but wakes (and rejects) when the signal aborts. */
export function sleepUnless(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal });
}
