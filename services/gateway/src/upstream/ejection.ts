/**
 * Passive outlier detection for one instance: `failures` failures within `windowMs` eject it.
 * A ring of the last `failures` failure times answers "were the last N failures all within the
 * window?" in O(1), with no allocation per failure.
 */
export class FailureWindow {
  readonly #times: Float64Array;
  readonly #windowMs: number;
  #next = 0;
  #count = 0;

  constructor(failures: number, windowMs: number) {
    this.#times = new Float64Array(failures);
    this.#windowMs = windowMs;
  }

  /** Records a failure at `now`; true when it completes `failures` within the window (then resets). */
  record(now: number): boolean {
    const size = this.#times.length;
    this.#times[this.#next] = now;
    this.#next = (this.#next + 1) % size;
    if (this.#count < size) this.#count++;
    // After the write, #next points at the oldest of the last `size` failures.
    if (this.#count === size && now - (this.#times[this.#next % size] as number) <= this.#windowMs) {
      this.reset();
      return true;
    }
    return false;
  }

  /** Failures recorded within the window ending at `now` (for the admin API). */
  countAt(now: number): number {
    let count = 0;
    const size = this.#times.length;
    for (let i = 1; i <= this.#count; i++) {
      const time = this.#times[(this.#next - i + size) % size] as number;
      if (now - time <= this.#windowMs) count++;
    }
    return count;
  }

  reset(): void {
    this.#count = 0;
  }
}
