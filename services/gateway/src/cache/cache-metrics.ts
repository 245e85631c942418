// Prometheus series of the response cache. The hit ratio is
// sum(rate(gateway_cache_requests_total{state=~"HIT|STALE"}[5m])) / sum(rate(gateway_cache_requests_total[5m])).
import { Counter, Gauge, type Registry } from '@shopnow/chassis';
import type { CacheState } from './types.ts';

export interface CacheMetrics {
  count(state: CacheState): void;
}

const STATES: readonly CacheState[] = ['HIT', 'MISS', 'STALE', 'BYPASS'];

/** Registers the series on `registry` (none: counts nothing); sizes are read when scraped. */
export function createCacheMetrics(
  registry: Registry | undefined,
  size: () => { entries: number; bytes: number },
): CacheMetrics {
  if (registry === undefined) return { count: () => {} };
  const requests = new Counter({
    name: 'gateway_cache_requests_total',
    help: 'Requests answered through the response cache, by X-Cache state',
    labelNames: ['state'],
    registers: [registry],
  });
  for (const state of STATES) requests.inc({ state }, 0); // every series exists from the start
  new Gauge({
    name: 'gateway_cache_entries',
    help: 'Entries in this process’s response cache (0 when the cache is in Redis)',
    registers: [registry],
    collect() {
      this.set(size().entries);
    },
  });
  new Gauge({
    name: 'gateway_cache_bytes',
    help: 'Bytes held by this process’s response cache (0 when the cache is in Redis)',
    registers: [registry],
    collect() {
      this.set(size().bytes);
    },
  });
  const byState = new Map(STATES.map((state) => [state, requests.labels({ state })]));
  return { count: (state) => byState.get(state)?.inc() };
}
