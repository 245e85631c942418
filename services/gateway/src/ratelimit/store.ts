import type { Bucket } from '../routes/route-table-schema.ts';
import type { RateDecision } from './token-bucket.ts';

/**
 * Where bucket states live: in process (LocalStore) or shared by every gateway replica
 * (RedisStore). A take never rejects: a store that cannot reach its backend answers from a
 * local bucket instead (see redis-store.ts).
 */
export interface RateLimitStore {
  /** Takes `cost` (default 1) tokens from the bucket stored under `key`, created full on first use. */
  take(key: string, bucket: Bucket, cost?: number): Promise<RateDecision>;
  /** Releases connections and timers; takes after close() are not supported. */
  close(): Promise<void>;
}
