// The gateway's checkout bucket (services/gateway/routes.json: a token bucket per caller) as the
// harness mirrors it: an order is sent only as a customer who has a token left, so no order is
// refused with 429 and the numbers measure checkout, not the limiter. A customer refills at
// limit / window per second, so a phase needs enough customers for its rate (see customersFor).

export interface BucketSpec {
  limit: number;
  windowSeconds: number;
}

/**
 * How much later than our send the gateway may charge a request (a loaded machine): each take is
 * booked this late, so the mirror never counts a refill the gateway has not seen yet.
 */
export const GATEWAY_LAG_MS = 1000;

/** One customer's tokens in the mirror (starts full, like a bucket the gateway never saw). */
export class CallerBudget {
  readonly #spec: BucketSpec;
  #tokens: number;
  #at: number;

  constructor(spec: BucketSpec, nowMs: number) {
    this.#spec = spec;
    this.#tokens = spec.limit;
    this.#at = nowMs;
  }

  #refill(nowMs: number): void {
    const perMs = this.#spec.limit / (this.#spec.windowSeconds * 1000);
    this.#tokens = Math.min(this.#spec.limit, this.#tokens + Math.max(0, nowMs - this.#at) * perMs);
    this.#at = Math.max(this.#at, nowMs);
  }

  /** Takes a token if a whole one is there; false leaves the bucket as it was. */
  tryTake(nowMs: number): boolean {
    this.#refill(nowMs);
    if (this.#tokens < 1 - 1e-9) return false;
    this.#tokens -= 1;
    this.#at = Math.max(this.#at, nowMs + GATEWAY_LAG_MS);
    return true;
  }

  /** Ms until a token is there (0 when one is). */
  waitMs(nowMs: number): number {
    this.#refill(nowMs);
    const perMs = this.#spec.limit / (this.#spec.windowSeconds * 1000);
    if (this.#tokens >= 1 - 1e-9) return 0;
    return Math.ceil(this.#at - nowMs + (1 - this.#tokens) / perMs);
  }
}

/** Most orders one customer can place in `seconds`: a full bucket, then the refill. */
export function ordersPerCustomer(spec: BucketSpec, seconds: number): number {
  return Math.floor(spec.limit + (seconds * spec.limit) / spec.windowSeconds);
}

/** Customers needed to offer `rate` orders/s for `seconds`, with a 20% margin. */
export function customersFor(spec: BucketSpec, rate: number, seconds: number): number {
  return Math.ceil((1.2 * rate * seconds) / ordersPerCustomer(spec, seconds));
}
