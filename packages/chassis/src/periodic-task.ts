// A background loop beside a service's HTTP app (sweeps, carrier steps, senders): one pass every
// `intervalMs`. Passes never overlap: a tick that finds the last pass still running is skipped,
// so a slow database makes passes rarer instead of piling them up. A failed pass is logged and
// the next tick tries again. stop() ends the ticks and waits for the pass in hand, so shutdown
// closes the pool only after it.
import type { Logger } from 'pino';

export interface PeriodicTaskOptions {
  intervalMs: number;
  /** One pass. `signal` aborts on stop(), so a pass that loops (batch after batch) ends early. */
  run(signal: AbortSignal): Promise<unknown>;
  logger: Pick<Logger, 'error'>;
  /** What the failure log line says ('reservation sweep failed'). */
  failureMessage: string;
}

export interface PeriodicTask {
  /** No more passes; resolves once the running one, if any, has settled. */
  stop(): Promise<void>;
}

export function startPeriodicTask(options: PeriodicTaskOptions): PeriodicTask {
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running !== undefined || stopping.signal.aborted) return;
    running = options
      .run(stopping.signal)
      .then(
        () => undefined,
        (err: unknown) => options.logger.error({ err }, options.failureMessage),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  // The loop alone never keeps the process up: shutdown is the HTTP server's to decide.
  timer.unref();
  return {
    async stop() {
      stopping.abort();
      clearInterval(timer);
      await running;
    },
  };
}
