// Login throttling rules (OWASP ASVS V6.3.1, credential stuffing and brute force), pure: state
// in, state out; the store keeps the rows and the route applies the verdict.

export interface ThrottleRules {
  /** Consecutive failures of one account key before each attempt must wait. */
  delayAfterFailures: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Consecutive failures that lock the account key. */
  lockAfterFailures: number;
  lockMs: number;
  /** Failures of one IP within `ipWindowMs` that block it until the window ends. */
  ipMaxFailures: number;
  ipWindowMs: number;
  /** A key whose last failure is older than this starts counting from zero again. */
  forgetAfterMs: number;
}

export const DEFAULT_THROTTLE_RULES: ThrottleRules = {
  delayAfterFailures: 3,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  lockAfterFailures: 10,
  lockMs: 15 * 60_000,
  ipMaxFailures: 20,
  ipWindowMs: 15 * 60_000,
  forgetAfterMs: 15 * 60_000,
};

/** One throttle row: an account key (`account:<sha256>`) or an IP key (`ip:<address>`). */
export interface ThrottleState {
  failures: number;
  /** The first failure of the current run (the IP window starts here). */
  firstFailureAt: Date;
  lastFailureAt: Date;
  blockedUntil: Date | null;
}

/** Milliseconds the key must still wait, 0 when an attempt may go ahead. */
export function waitMs(state: ThrottleState | undefined, now: Date): number {
  if (state?.blockedUntil == null) return 0;
  return Math.max(0, state.blockedUntil.getTime() - now.getTime());
}

/** Whether old failures no longer count (a quiet period, or the IP window is over). */
function expired(state: ThrottleState | undefined, now: Date, rules: ThrottleRules, kind: 'account' | 'ip') {
  if (state === undefined) return true;
  if (kind === 'ip') return now.getTime() - state.firstFailureAt.getTime() >= rules.ipWindowMs;
  if (waitMs(state, now) > 0) return false;
  return now.getTime() - state.lastFailureAt.getTime() >= rules.forgetAfterMs;
}

export interface FailureOutcome {
  state: ThrottleState;
  /** True when this failure locked the account key (tell the owner). */
  locked: boolean;
}

/** The account key after one more failed login. */
export function accountFailure(
  previous: ThrottleState | undefined,
  now: Date,
  rules: ThrottleRules = DEFAULT_THROTTLE_RULES,
): FailureOutcome {
  const fresh = expired(previous, now, rules, 'account');
  const failures = fresh ? 1 : (previous?.failures ?? 0) + 1;
  const firstFailureAt = fresh || previous === undefined ? now : previous.firstFailureAt;
  let blockedUntil: Date | null = null;
  let locked = false;
  if (failures >= rules.lockAfterFailures) {
    blockedUntil = new Date(now.getTime() + rules.lockMs);
    locked = true;
  } else if (failures >= rules.delayAfterFailures) {
    const doublings = failures - rules.delayAfterFailures;
    const delay = Math.min(rules.baseDelayMs * 2 ** doublings, rules.maxDelayMs);
    blockedUntil = new Date(now.getTime() + delay);
  }
  return { state: { failures, firstFailureAt, lastFailureAt: now, blockedUntil }, locked };
}

/** The IP key after one more failed login: blocked until its window ends once it has too many. */
export function ipFailure(
  previous: ThrottleState | undefined,
  now: Date,
  rules: ThrottleRules = DEFAULT_THROTTLE_RULES,
): ThrottleState {
  const fresh = expired(previous, now, rules, 'ip');
  const failures = fresh ? 1 : (previous?.failures ?? 0) + 1;
  const firstFailureAt = fresh || previous === undefined ? now : previous.firstFailureAt;
  const blockedUntil =
    failures >= rules.ipMaxFailures ? new Date(firstFailureAt.getTime() + rules.ipWindowMs) : null;
  return { failures, firstFailureAt, lastFailureAt: now, blockedUntil };
}
