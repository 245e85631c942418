import autocannon from 'autocannon';

export interface LoadSettings {
  /** Concurrent connections, the same for the subject and the baseline. */
  connections: number;
  /** Measured seconds per side. */
  durationSec: number;
  /** Seconds of identical load before measuring, discarded (JIT, caches, pools). */
  warmupSec: number;
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

/** Warms up, then measures `url` with autocannon (pipelining 1: one request in flight per connection). */
export async function measure(url: string, settings: LoadSettings): Promise<LoadResult> {
  const base = { url, connections: settings.connections, pipelining: 1 } as const;
  if (settings.warmupSec > 0) await autocannon({ ...base, duration: settings.warmupSec });
  const result = await autocannon({ ...base, duration: settings.durationSec });
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

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
