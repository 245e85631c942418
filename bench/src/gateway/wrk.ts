// wrk, the closed-loop load of the gateway benchmark: written in C, one thread of it drives far
// more requests per second than any side here serves, so on a two-core machine the load tool
// takes little of the CPU the servers compete for (autocannon, in Node, would take about a core).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's wrk; WRK_BIN overrides. */
export const WRK_BIN = process.env.WRK_BIN ?? '/usr/bin/wrk';

export function wrkAvailable(): boolean {
  return existsSync(WRK_BIN);
}

export interface WrkSettings {
  connections: number;
  durationSec: number;
  /** Request headers, the same bytes to every side. */
  headers: Record<string, string>;
}

export interface WrkResult {
  url: string;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  requests: number;
  non2xx: number;
  errors: number;
}

/** One wrk run (one thread, `connections` kept-alive connections); refuses a run with errors. */
export async function wrk(url: string, settings: WrkSettings): Promise<WrkResult> {
  const args = [
    '-t1',
    `-c${settings.connections}`,
    `-d${settings.durationSec}s`,
    '--latency',
    '--timeout',
    '5s',
    ...Object.entries(settings.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    url,
  ];
  const { stdout } = await run(WRK_BIN, args, { maxBuffer: 1 << 20 });
  const result = parseWrk(url, stdout);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${url}: ${result.non2xx} non-2xx answers and ${result.errors} socket errors; not a valid measurement\n${stdout}`,
    );
  }
  return result;
}

/** Parses wrk 4's report (`--latency`); exported for tests. */
export function parseWrk(url: string, text: string): WrkResult {
  const percentile = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
    if (m === null) throw new Error(`wrk: no ${p}% latency in:\n${text}`);
    return toMs(m[1], m[2]);
  };
  const latency = /^\s*Latency\s+([\d.]+)(us|ms|s)\s+[\d.]+(?:us|ms|s)\s+([\d.]+)(us|ms|s)/m.exec(text);
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  const total = /^\s*(\d+) requests in /m.exec(text);
  if (latency === null || rps === null || total === null) throw new Error(`wrk: unexpected output:\n${text}`);
  const non2xx = /^\s*Non-2xx or 3xx responses:\s+(\d+)/m.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = socket === null ? 0 : socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0);
  return {
    url,
    rps: Math.round(Number(rps[1])),
    latencyMs: {
      p50: percentile('50'),
      p90: percentile('90'),
      p99: percentile('99'),
      mean: toMs(latency[1], latency[2]),
      max: toMs(latency[3], latency[4]),
    },
    requests: Number(total[1]),
    non2xx: non2xx === null ? 0 : Number(non2xx[1]),
    errors,
  };
}

function toMs(value: string | undefined, unit: string | undefined): number {
  const n = Number(value);
  const ms = unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
  return Math.round(ms * 1000) / 1000;
}
