/**
 * Restart delays for a crashing process: the first restart is almost
 * immediate (a killed service is back within a second or two), repeated
 * crashes back off exponentially up to a ceiling, and a process that stayed up
 * for `stableAfterMs` starts again from the first delay.
 */
export interface BackoffPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
  stableAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialMs: 100,
  factor: 2,
  maxMs: 30_000,
  stableAfterMs: 30_000,
};

/** Delay before restart number `attempt` (0-based) since the process was last stable. */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.maxMs, Math.round(policy.initialMs * policy.factor ** attempt));
}
