import autocannon from 'autocannon';

export interface LoadSettings {
  /** Concurrent connections, the same for the subject and the baseline. */
  connections: number;
  /** Measured seconds per side in each round. */
  durationSec: number;
  /** Seconds of identical load on each side before the first round, discarded (JIT, caches, pools). */
  warmupSec: number;
  /** Rounds; each measures both sides, alternating which goes first (see compare.ts). */
  rounds: number;
}

export interface LoadResult {
  url: string;
  /** Mean requests per second over the measured run. */
  rps: number;
  latencyMs: { p50: number; p99: number; mean: number };
  requests: number;
  non2xx: number;
  errors: number;
}

/** Drives `url` with autocannon for `durationSec` (pipelining 1: one request in flight per connection). */
export async function drive(url: string, connections: number, durationSec: number): Promise<LoadResult> {
  const result = await autocannon({ url, connections, pipelining: 1, duration: durationSec });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors; not a valid measurement`,
    );
  }
  return {
    url,
    rps: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, mean: round2(result.latency.mean) },
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
