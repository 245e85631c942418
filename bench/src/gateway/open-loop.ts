// A fixed-rate (open-loop) load for latency at a given throughput. Request i is due at
// start + i / rate whatever happened to earlier ones, and its latency is counted from that due
// time, not from when a connection became free: a stall shows as the latency every request queued
// behind it really saw (no coordinated omission, which a closed loop such as wrk hides).
// wrk2 would do this; it is not packaged, so this is undici (the cheapest Node HTTP client, so
// the generator takes as little as possible of the CPU the server under test needs) with a
// bounded keep-alive pool.
import { createHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

export interface OpenLoopSettings {
  /** Requests per second offered. */
  rate: number;
  durationSec: number;
  /** Kept-alive connections at most; requests due while all are busy wait for one (and it counts). */
  connections: number;
  headers: Record<string, string>;
}

export interface OpenLoopResult {
  url: string;
  /** Offered rate. */
  rate: number;
  /** Answers per second actually completed over the run. */
  achievedRps: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
  requests: number;
  non2xx: number;
  errors: number;
}

/** Sends `rate × durationSec` GETs to `url` on schedule; waits for the last answer (at most 10 s). */
export async function openLoop(url: string, settings: OpenLoopSettings): Promise<OpenLoopResult> {
  const target = new URL(url);
  const path = `${target.pathname}${target.search}`;
  const pool = new Pool(target.origin, { connections: settings.connections, pipelining: 1 });
  const histogram = createHistogram({ lowest: 1, highest: 60e9, figures: 3 });
  const total = Math.round(settings.rate * settings.durationSec);
  const intervalMs = 1000 / settings.rate;
  let sent = 0;
  let done = 0;
  let non2xx = 0;
  let errors = 0;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const settle = () => {
    if (++done === total) allDone();
  };

  const fire = (dueAt: number) => {
    pool.request({ method: 'GET', path, headers: settings.headers }).then(
      async (res) => {
        if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
        try {
          await res.body.dump();
          histogram.record(Math.max(1, Math.round((performance.now() - dueAt) * 1e6)));
        } catch {
          errors++;
        }
        settle();
      },
      () => {
        errors++;
        settle();
      },
    );
  };

  const start = performance.now();
  // Wake about every millisecond and send what is due; each request keeps its own due time.
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
    while (sent < due) fire(start + sent++ * intervalMs);
    if (sent < total) await sleep(1);
  }
  const giveUp = new AbortController();
  const drained = await Promise.race([
    finished.then(() => true),
    sleep(10_000, false, { signal: giveUp.signal }).catch(() => false),
  ]);
  giveUp.abort();
  const elapsedSec = (performance.now() - start) / 1000;
  await pool.destroy();
  if (!drained) errors += total - done;
  const ms = (ns: number) => Math.round(ns / 1e3) / 1e3;
  return {
    url,
    rate: settings.rate,
    achievedRps: Math.round(done / elapsedSec),
    latencyMs: {
      p50: ms(histogram.percentile(50)),
      p90: ms(histogram.percentile(90)),
      p99: ms(histogram.percentile(99)),
      p999: ms(histogram.percentile(99.9)),
      max: ms(histogram.max),
      mean: ms(histogram.mean),
    },
    requests: total,
    non2xx,
    errors,
  };
}
