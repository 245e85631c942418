import { CircuitState, SamplingBreaker } from 'cockatiel';

/** Circuit states as the admin API and the `gateway_upstream_breaker_state` gauge (0, 1, 2) name them. */
export type BreakerState = 'closed' | 'half_open' | 'open';

/** What `tryAcquire` grants: nothing (fail fast), an ordinary call, or the one half-open trial. */
export const DENIED = 0;
export const ALLOWED = 1;
export const TRIAL = 2;
export type Permit = typeof DENIED | typeof ALLOWED | typeof TRIAL;

export interface BreakerOptions {
  failureRatio: number;
  minimumCalls: number;
  windowMs: number;
  openMs: number;
  now: () => number;
  /** Called on every transition (for a log line). */
  onChange?: (state: BreakerState) => void;
}

/**
 * The circuit breaker over one upstream. cockatiel's SamplingBreaker decides when to open (the
 * failure ratio over a sliding window, once there are enough calls); the states around it are
 * kept here rather than in cockatiel's CircuitBreakerPolicy because the gateway needs two things
 * the policy does not give: no closure per call on the hot path, and fail-fast while the
 * half-open trial runs (the policy makes every caller wait for the trial's outcome).
 */
export class UpstreamBreaker {
  readonly #sampler: SamplingBreaker;
  readonly #openMs: number;
  readonly #now: () => number;
  readonly #onChange: ((state: BreakerState) => void) | undefined;
  #state: BreakerState = 'closed';
  #openedAt = 0;
  #trialRunning = false;

  constructor(options: BreakerOptions) {
    this.#sampler = new SamplingBreaker({
      // SamplingBreaker wants a ratio strictly below 1; "every call failed" still opens it.
      threshold: Math.min(options.failureRatio, 0.999_999),
      duration: options.windowMs,
      // It counts calls per second; minimumCalls over the window is the same bar.
      minimumRps: (options.minimumCalls * 1_000) / options.windowMs,
    });
    this.#openMs = options.openMs;
    this.#now = options.now;
    this.#onChange = options.onChange;
  }

  /** Whether a call may go ahead now. Open → half-open after openMs, with one trial at a time. */
  tryAcquire(): Permit {
    if (this.#state === 'closed') return ALLOWED;
    if (this.#state === 'open') {
      if (this.#now() - this.#openedAt < this.#openMs) return DENIED;
      this.#transition('half_open');
    }
    if (this.#trialRunning) return DENIED;
    this.#trialRunning = true;
    return TRIAL;
  }

  /** An attempt got a good answer. A trial's success closes the circuit. */
  success(trial: boolean): void {
    if (trial) {
      this.#trialRunning = false;
      if (this.#state !== 'half_open') return;
      this.#sampler.success(CircuitState.HalfOpen); // resets the sampling windows
      this.#transition('closed');
    } else if (this.#state === 'closed') {
      this.#sampler.success(CircuitState.Closed);
    }
  }

  /** An attempt failed (no answer, or 502/503/504). A trial's failure reopens the circuit. */
  failure(trial: boolean): void {
    if (trial) {
      this.#trialRunning = false;
      if (this.#state === 'half_open') this.#open();
    } else if (this.#state === 'closed' && this.#sampler.failure(CircuitState.Closed)) {
      this.#open();
    }
  }

  /** A trial ended without reaching an instance (no instances, caller went away): let another try. */
  release(trial: boolean): void {
    if (trial) this.#trialRunning = false;
  }

  /** The state as it stands: an open circuit past openMs shows as half-open (its next call is the trial). */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#openMs) return 'half_open';
    return this.#state;
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#transition('open');
  }

  #transition(state: BreakerState): void {
    this.#state = state;
    this.#onChange?.(state);
  }
}
