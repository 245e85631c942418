// The token bucket, as pure arithmetic: no clock, no I/O. The local store runs it in process;
// the Redis store's Lua script (redis-store.ts) is the same arithmetic and must stay in step.
import type { Bucket } from '../routes/route-table-schema.ts';

/** A bucket's stored state: tokens left (fractional) at a moment (ms on the caller's clock). */
export interface BucketState {
  tokens: number;
  updatedAtMs: number;
}

/** What one take decided, in the terms the rate-limit headers need. */
export interface RateDecision {
  allowed: boolean;
  /** The bucket's capacity (its `limit`). */
  limit: number;
  /** Whole tokens left after this take, ≥ 0. */
  remaining: number;
  /** Seconds until the bucket is full again (rounded up). */
  resetSeconds: number;
  /** Seconds until enough tokens for this request (rounded up); 0 when allowed. */
  retryAfterSeconds: number;
}

// Float noise (99.99999999 tokens) must not turn "now" into "in 1 s".
const EPSILON = 1e-9;

/** Whole seconds, rounded up, for a duration in ms. */
export function ceilSeconds(ms: number): number {
  return ms <= 0 ? 0 : Math.ceil(ms / 1000 - EPSILON);
}

/**
 * Takes `cost` tokens from a bucket whose state is `state`, after refilling it continuously
 * (capacity `limit`, `limit / windowSeconds` tokens per second). A missing state is a full
 * bucket. A denied take leaves the tokens as they are (refilled to now). Pure: returns a new state.
 */
export function takeToken(
  state: BucketState | undefined,
  bucket: Bucket,
  nowMs: number,
  cost = 1,
): { state: BucketState; decision: RateDecision } {
  const next: BucketState =
    state === undefined
      ? { tokens: bucket.limit, updatedAtMs: nowMs }
      : { tokens: state.tokens, updatedAtMs: state.updatedAtMs };
  return { state: next, decision: takeTokenInPlace(next, bucket, nowMs, cost) };
}

/**
 * takeToken on a state it updates in place (the local store's hot path: no state allocation).
 * A state from the future (a clock that stepped back) is treated as refilled up to now, not beyond.
 */
export function takeTokenInPlace(state: BucketState, bucket: Bucket, nowMs: number, cost = 1): RateDecision {
  const limit = bucket.limit;
  const msPerToken = (bucket.windowSeconds * 1000) / limit;
  const elapsed = nowMs - state.updatedAtMs;
  let tokens = state.tokens;
  if (elapsed > 0) tokens += elapsed / msPerToken;
  if (tokens > limit) tokens = limit;
  const allowed = tokens >= cost - EPSILON;
  if (allowed) tokens = Math.max(0, tokens - cost);
  state.tokens = tokens;
  state.updatedAtMs = nowMs;
  return {
    allowed,
    limit,
    remaining: Math.floor(tokens + EPSILON),
    resetSeconds: ceilSeconds((limit - tokens) * msPerToken),
    // A cost above the capacity can never pass: the closest honest hint is "when full".
    retryAfterSeconds: allowed ? 0 : Math.max(1, ceilSeconds((Math.min(cost, limit) - tokens) * msPerToken)),
  };
}

/** Ms until a bucket in this state is full again: how long its state is worth keeping. */
export function msUntilFull(state: BucketState, bucket: Bucket): number {
  return ((bucket.limit - state.tokens) * bucket.windowSeconds * 1000) / bucket.limit;
}
