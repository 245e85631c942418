import { probe } from '../registry/health-checker.ts';

export type ReadyOutcome = 'ready' | 'gone' | 'timeout';

/**
 * Polls a readiness URL until it answers 2xx, the process it belongs to is
 * gone (`stillRunning` turns false), or the deadline passes.
 */
export async function waitForReady(
  url: URL,
  opts: { timeoutMs: number; intervalMs?: number; stillRunning: () => boolean },
): Promise<ReadyOutcome> {
  const deadline = Date.now() + opts.timeoutMs;
  const intervalMs = opts.intervalMs ?? 100;
  while (Date.now() < deadline) {
    if (!opts.stillRunning()) return 'gone';
    if (await probe(url, Math.min(1000, Math.max(1, deadline - Date.now())))) {
      return opts.stillRunning() ? 'ready' : 'gone';
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return 'timeout';
}
