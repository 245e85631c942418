export interface Distribution {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles, rounded to 0.1 ms. */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: round1(rank(0.5)),
    p90: round1(rank(0.9)),
    p99: round1(rank(0.99)),
    max: round1(sorted[sorted.length - 1] ?? 0),
    mean: round1(sum / sorted.length),
  };
}

/** Events per second over a span of wall-clock milliseconds. */
export function perSecond(count: number, fromMs: number, toMs: number): number {
  return toMs > fromMs ? Math.round((count * 1000) / (toMs - fromMs)) : 0;
}

// `+ 0` turns -0 into 0: JSON has no -0, so a result read back from its file would differ.
export function round1(n: number): number {
  return Math.round(n * 10) / 10 + 0;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100 + 0;
}

export function minMax(values: readonly number[]): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
