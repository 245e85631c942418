// Measures a subject against its baseline in interleaved rounds: round 1 runs the baseline
// first, round 2 the subject first, and so on (ABBA). On a shared or throttled machine the
// capacity drifts during a run; each round's ratio compares two measurements taken back to
// back, and the reported ratio is the median over rounds, so a burst of foreign load that
// hits one measurement does not decide the result.
import { drive, type LoadResult, type LoadSettings, round2 } from './load.ts';

export interface Target {
  name: string;
  url: string;
}

export interface Round {
  baselineRps: number;
  subjectRps: number;
  ratio: number;
}

export interface Comparison {
  subject: LoadResult;
  baseline: LoadResult;
  rounds: Round[];
  /** Median of the rounds' ratios. */
  ratio: number;
}

export async function compare(
  subject: Target,
  baseline: Target,
  settings: LoadSettings,
  log: (line: string) => void,
): Promise<Comparison> {
  if (settings.warmupSec > 0) {
    log(`warm-up: ${settings.warmupSec}s on each side`);
    await drive(baseline.url, settings.connections, settings.warmupSec);
    await drive(subject.url, settings.connections, settings.warmupSec);
  }
  const bySide = { subject: [] as LoadResult[], baseline: [] as LoadResult[] };
  const rounds: Round[] = [];
  for (let i = 0; i < settings.rounds; i++) {
    const order = i % 2 === 0 ? (['baseline', 'subject'] as const) : (['subject', 'baseline'] as const);
    for (const side of order) {
      const target = side === 'subject' ? subject : baseline;
      log(`round ${i + 1}/${settings.rounds}: ${target.name}, ${settings.durationSec}s`);
      bySide[side].push(await drive(target.url, settings.connections, settings.durationSec));
    }
    const subjectRps = bySide.subject[i]?.rps ?? 0;
    const baselineRps = bySide.baseline[i]?.rps ?? 0;
    rounds.push({ baselineRps, subjectRps, ratio: baselineRps > 0 ? round2(subjectRps / baselineRps) : 0 });
  }
  return {
    subject: combine(bySide.subject),
    baseline: combine(bySide.baseline),
    rounds,
    ratio: median(rounds.map((r) => r.ratio)),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : round2(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

/** One side over all rounds: rps and latencies are means of the rounds, counts are sums. */
function combine(results: LoadResult[]): LoadResult {
  const mean = (pick: (r: LoadResult) => number) =>
    results.reduce((sum, r) => sum + pick(r), 0) / Math.max(1, results.length);
  const sum = (pick: (r: LoadResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    url: results[0]?.url ?? '',
    rps: Math.round(mean((r) => r.rps)),
    latencyMs: {
      p50: round2(mean((r) => r.latencyMs.p50)),
      p99: round2(mean((r) => r.latencyMs.p99)),
      mean: round2(mean((r) => r.latencyMs.mean)),
    },
    requests: sum((r) => r.requests),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
  };
}
