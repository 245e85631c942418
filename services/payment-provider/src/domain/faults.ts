// Sandbox fault injection: extra latency, a share of calls answered 503, or the whole API down.
// The settings at start come from the environment; an operator or a test changes them at run
// time, and every replica sees the change (the run-time settings live in the database).

export interface Faults {
  latencyMs: number;
  /** 0..1: the share of calls answered 503 before anything is done. */
  errorRate: number;
  /** Every /v1 call but the fault controls answers 503. */
  down: boolean;
}

export const MAX_LATENCY_MS = 60_000;

export const NO_FAULTS: Faults = { latencyMs: 0, errorRate: 0, down: false };

export type InjectedFault = 'down' | 'error_rate';

/** The fault to answer with, if any; `random` is in [0, 1). */
export function injectedFault(faults: Faults, random: number): InjectedFault | undefined {
  if (faults.down) return 'down';
  if (faults.errorRate > 0 && random < faults.errorRate) return 'error_rate';
  return undefined;
}
