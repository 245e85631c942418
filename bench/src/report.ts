import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Round } from './compare.ts';
import type { LoadResult, LoadSettings } from './load.ts';

export interface Side extends LoadResult {
  name: string;
  /** Resident memory of the server process after the run, MiB (Linux only). */
  rssMb: number | undefined;
}

export interface BenchmarkResult {
  benchmark: string;
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  settings: LoadSettings & { pipelining: 1; processesPerSide: number };
  /** rps and latencies: means over the rounds. */
  subject: Side;
  baseline: Side;
  rounds: Round[];
  /** subject rps / baseline rps, the median over the rounds (same run, same machine, same load). */
  ratio: number;
  target: number;
  pass: boolean;
}

export function machine(): BenchmarkResult['machine'] {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

const rounds = (n: number) => (n === 1 ? '1 round' : `median of ${n} rounds`);
const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** `product-read: 9,800 rps vs bare fastify 17,000 rps → ratio 0.58 (median of 4 rounds, target ≥ 0.5) PASS` */
export function summaryLine(r: BenchmarkResult): string {
  return (
    `${r.benchmark}: ${count(r.subject.rps)} rps vs ${r.baseline.name} ${count(r.baseline.rps)} rps` +
    ` → ratio ${r.ratio.toFixed(2)} (${rounds(r.rounds.length)}, target ≥ ${r.target}) ${r.pass ? 'PASS' : 'FAIL'}`
  );
}

/** Writes `<runDir>/result.json` (any benchmark's result) beside the run's logs and returns its path. */
export function writeResult(runDir: string, r: object): string {
  mkdirSync(runDir, { recursive: true });
  const file = join(runDir, 'result.json');
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
