import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rateLimitHeaders } from '../src/ratelimit/headers.ts';
import { LocalStore } from '../src/ratelimit/local-store.ts';
import { type BucketState, takeToken } from '../src/ratelimit/token-bucket.ts';

const perMinute = { limit: 60, windowSeconds: 60 }; // one token per second

describe('takeToken', () => {
  test('a new bucket is full: the first take leaves limit - 1, full again one refill later', () => {
    const { state, decision } = takeToken(undefined, perMinute, 1_000);
    assert.deepEqual(decision, {
      allowed: true,
      limit: 60,
      remaining: 59,
      resetSeconds: 1,
      retryAfterSeconds: 0,
    });
    assert.deepEqual(state, { tokens: 59, updatedAtMs: 1_000 });
  });

  test('the whole burst passes at once, the next take is denied with the wait for one token', () => {
    let state: BucketState | undefined;
    for (let i = 0; i < 60; i++) {
      const step = takeToken(state, perMinute, 0);
      assert.equal(step.decision.allowed, true, `take ${i + 1}`);
      state = step.state;
    }
    const denied = takeToken(state, perMinute, 0);
    assert.deepEqual(denied.decision, {
      allowed: false,
      limit: 60,
      remaining: 0,
      resetSeconds: 60,
      retryAfterSeconds: 1,
    });
    // Denied takes cost nothing.
    assert.equal(denied.state.tokens, 0);
  });

  test('refills continuously at limit/window per second, never beyond the capacity', () => {
    const empty: BucketState = { tokens: 0, updatedAtMs: 0 };
    assert.equal(takeToken(empty, perMinute, 999).decision.allowed, false);
    const after1s = takeToken(empty, perMinute, 1_000);
    assert.equal(after1s.decision.allowed, true);
    assert.equal(after1s.decision.remaining, 0);
    const half = takeToken(empty, perMinute, 30_500);
    assert.equal(half.decision.remaining, 29); // 30.5 refilled, 1 taken
    assert.equal(half.decision.resetSeconds, 31); // 30.5 tokens short of 60 at 1/s → 30.5 s → 31
    const long = takeToken(empty, perMinute, 3_600_000);
    assert.equal(long.decision.remaining, 59);
    assert.equal(long.state.tokens, 59);
  });

  test('retry-after counts the time until enough tokens for the cost, rounded up', () => {
    const bucket = { limit: 10, windowSeconds: 60 }; // one token per 6 s
    const state: BucketState = { tokens: 0.5, updatedAtMs: 0 };
    assert.equal(takeToken(state, bucket, 0).decision.retryAfterSeconds, 3); // 0.5 token short = 3 s
    assert.equal(takeToken(state, bucket, 0, 3).decision.retryAfterSeconds, 15); // 2.5 short = 15 s
    assert.equal(takeToken(state, bucket, 2_999).decision.retryAfterSeconds, 1);
    assert.equal(takeToken(state, bucket, 3_000).decision.allowed, true);
    // A cost above the capacity never passes; the hint is "when full", at least 1 s.
    const huge = takeToken(undefined, bucket, 0, 11).decision;
    assert.equal(huge.allowed, false);
    assert.equal(huge.retryAfterSeconds, 1);
  });

  test('is pure: the given state is not changed', () => {
    const state: BucketState = { tokens: 5, updatedAtMs: 0 };
    takeToken(state, perMinute, 10_000);
    assert.deepEqual(state, { tokens: 5, updatedAtMs: 0 });
  });

  test('a clock that steps back refills nothing and takes from what is there', () => {
    const { decision, state } = takeToken({ tokens: 2, updatedAtMs: 10_000 }, perMinute, 5_000);
    assert.equal(decision.allowed, true);
    assert.equal(state.tokens, 1);
  });

  test('a lowered limit clamps the stored tokens to the new capacity', () => {
    const { decision } = takeToken({ tokens: 500, updatedAtMs: 0 }, { limit: 10, windowSeconds: 60 }, 0);
    assert.equal(decision.remaining, 9);
  });
});

describe('LocalStore', () => {
  test('keeps at most maxBuckets, evicting the least recently used', () => {
    const store = new LocalStore({ maxBuckets: 100 });
    for (let i = 0; i < 1_000; i++) store.takeSync(`ip:10.0.${i >> 8}.${i & 255}`, perMinute);
    assert.equal(store.size, 100);
  });

  test('uses the injected clock', () => {
    let now = 0;
    const store = new LocalStore({ now: () => now });
    for (let i = 0; i < 60; i++) store.takeSync('u:1', perMinute);
    assert.equal(store.takeSync('u:1', perMinute).allowed, false);
    now = 1_000;
    assert.equal(store.takeSync('u:1', perMinute).allowed, true);
  });
});

describe('rateLimitHeaders (draft-ietf-httpapi-ratelimit-headers-10)', () => {
  test('allowed: RateLimit-Policy with q and w, RateLimit with r and t = seconds until full', () => {
    const headers = rateLimitHeaders(
      {
        allowed: true,
        policy: 'free',
        windowSeconds: 60,
        decision: { allowed: true, limit: 100, remaining: 42, resetSeconds: 18, retryAfterSeconds: 0 },
      },
      60,
    );
    assert.deepEqual(headers, { 'RateLimit-Policy': '"free";q=100;w=60', RateLimit: '"free";r=42;t=18' });
  });

  test('denied: Retry-After, and t equal to it (the draft: Retry-After not earlier than t)', () => {
    const headers = rateLimitHeaders({
      allowed: false,
      policy: 'login',
      windowSeconds: 300,
      decision: { allowed: false, limit: 5, remaining: 0, resetSeconds: 290, retryAfterSeconds: 58 },
    });
    assert.deepEqual(headers, {
      'RateLimit-Policy': '"login";q=5;w=300',
      RateLimit: '"login";r=0;t=58',
      'Retry-After': '58',
    });
  });

  test('unlimited: no headers', () => {
    assert.deepEqual(
      rateLimitHeaders({ allowed: true, policy: 'unlimited', decision: undefined, windowSeconds: 0 }, 60),
      {},
    );
  });

  test('policy names are sf-strings: quotes and backslashes escaped, no raw control characters', () => {
    const headers = rateLimitHeaders({
      allowed: true,
      policy: 'a"b\\c\n',
      windowSeconds: 1,
      decision: { allowed: true, limit: 1, remaining: 0, resetSeconds: 1, retryAfterSeconds: 0 },
    });
    assert.equal(headers.RateLimit, '"a\\"b\\\\c?";r=0;t=1');
  });
});
