// A token bucket: `ratePerSecond` tokens a second, at most `capacity` saved up. reserve() takes a
// token now or books the next one, returning how long to wait for it, so callers queue fairly.
export class TokenBucket {
  readonly #rate: number;
  readonly #capacity: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(options: { ratePerSecond: number; capacity?: number; now?: () => number }) {
    this.#rate = options.ratePerSecond;
    this.#capacity = options.capacity ?? Math.max(1, options.ratePerSecond);
    this.#now = options.now ?? Date.now;
    this.#tokens = this.#capacity;
    this.#at = this.#now();
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
  }

  /** Whole tokens available now (never negative). */
  available(): number {
    this.#refill();
    return Math.max(0, Math.floor(this.#tokens));
  }

  /** Takes one token; resolves to the milliseconds to wait before using it (0: at once). */
  reserve(): number {
    this.#refill();
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#rate) * 1000);
  }
}
