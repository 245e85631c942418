import { get } from 'node:http';
import type { InstanceRegistry } from './registry.ts';

export interface HealthCheckerOptions {
  intervalMs?: number;
  timeoutMs?: number;
  path?: string;
}

/**
 * Probes every registered instance's readiness endpoint on a fixed cadence and
 * records the result, so an instance that stops being ready stops being
 * resolvable before its lease runs out. It comes back on its next passing check.
 */
export function startHealthChecker(
  registry: InstanceRegistry,
  opts: HealthCheckerOptions = {},
): { stop(): void } {
  const intervalMs = opts.intervalMs ?? 2000;
  const timeoutMs = opts.timeoutMs ?? 1000;
  const path = opts.path ?? '/health/ready';
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const tick = async () => {
    registry.sweep();
    await Promise.allSettled(
      registry.entries().map(async (entry) => {
        const healthy = await probe(new URL(path, entry.url), timeoutMs);
        if (!stopped) registry.setHealth(entry.service, entry.id, entry.url, healthy);
      }),
    );
    if (!stopped) timer = setTimeout(tick, intervalMs).unref();
  };
  timer = setTimeout(tick, intervalMs).unref();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * One GET that answers "2xx within timeoutMs?". node:http on a fresh connection,
 * not fetch: the launcher stays lean (undici's fetch costs ~17 MB of RSS) and
 * never holds a keep-alive socket that would delay a service's shutdown.
 */
export function probe(url: URL, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      clearTimeout(timer);
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 300);
    });
    const timer = setTimeout(() => req.destroy(), timeoutMs);
    req.on('timeout', () => req.destroy());
    req.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
