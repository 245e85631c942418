import { LRUCache } from 'lru-cache';
import type { Bucket } from '../routes/route-table-schema.ts';
import type { RateLimitStore } from './store.ts';
import { type BucketState, type RateDecision, takeTokenInPlace } from './token-bucket.ts';

/** Options of LocalStore. */
export interface LocalStoreOptions {
  /** Most buckets kept at once; the least recently used go first. Default 100,000 (~20 MB). */
  maxBuckets?: number;
  /** Monotonic ms clock; default performance.now (immune to wall-clock steps). Tests inject one. */
  now?: () => number;
}

const DEFAULT_MAX_BUCKETS = 100_000;

/**
 * Buckets in this process's memory: one gateway alone, or a replica's fallback while Redis is
 * down. Memory is bounded: at most `maxBuckets` entries, and an entry idle for its bucket's
 * window is dropped (by then it has refilled, and a missing bucket is a full one).
 */
export class LocalStore implements RateLimitStore {
  readonly #buckets: LRUCache<string, BucketState>;
  readonly #now: () => number;

  constructor(options: LocalStoreOptions = {}) {
    this.#now = options.now ?? performance.now.bind(performance);
    this.#buckets = new LRUCache<string, BucketState>({
      max: options.maxBuckets ?? DEFAULT_MAX_BUCKETS,
      // Each entry gets its bucket's window as TTL when created; every take restarts it.
      ttl: 60_000,
      updateAgeOnGet: true,
      // Expiry is checked on access (no timers per entry); evicted by `max` otherwise.
      ttlAutopurge: false,
      // The cache's own clock reads performance.now at most once per 10 ms.
      ttlResolution: 10,
    });
  }

  /** The synchronous take (no promise): the gateway's hot path when no Redis is configured. */
  takeSync(key: string, bucket: Bucket, cost = 1): RateDecision {
    const now = this.#now();
    let state = this.#buckets.get(key);
    if (state === undefined) {
      state = { tokens: bucket.limit, updatedAtMs: now };
      this.#buckets.set(key, state, { ttl: bucket.windowSeconds * 1000 });
    }
    return takeTokenInPlace(state, bucket, now, cost);
  }

  /** RateLimitStore.take over takeSync. */
  take(key: string, bucket: Bucket, cost = 1): Promise<RateDecision> {
    return Promise.resolve(this.takeSync(key, bucket, cost));
  }

  /** Buckets held now (stale ones included until touched or evicted). */
  get size(): number {
    return this.#buckets.size;
  }

  /** Forgets every bucket. */
  clear(): void {
    this.#buckets.clear();
  }

  close(): Promise<void> {
    this.#buckets.clear();
    return Promise.resolve();
  }
}
