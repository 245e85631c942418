import type { App } from './app.ts';
import type { Registration } from './discovery/register-instance.ts';

export interface ServeOptions {
  host: string;
  port: number;
  /** Bound on draining in-flight requests; past it the remaining connections are cut. */
  shutdownTimeoutMs: number;
  /** Run in order after the server has drained: close pools, flush, ... Each bounded to 5 s. */
  onClose?: Array<() => Promise<void> | void>;
  /** Called once listening: register in discovery. Its stop() runs first at shutdown. */
  registration?: () => Promise<Registration> | Registration;
  /** Default SIGTERM and SIGINT. */
  signals?: NodeJS.Signals[];
  /** Default process.exit; the exit code is 0 after a clean shutdown, 1 if anything was forced. */
  exit?: (code: number) => void;
}

export interface Served {
  /** The URL the server listens on (port resolved when 0 was asked). */
  url: string;
  /** Run the shutdown sequence now (as a signal would); resolves to the exit code. */
  shutdown(reason: string): Promise<number>;
}

const HOOK_TIMEOUT_MS = 5000;
const IDLE_REAP_INTERVAL_MS = 50;

/**
 * Listen, register, and shut down gracefully on SIGTERM/SIGINT:
 * not ready (readiness 503) → deregister → stop accepting and drain in-flight requests
 * (bounded by shutdownTimeoutMs, then connections are cut) → onClose hooks (pools) → exit.
 * A repeated signal does not cut the sequence short (Ctrl-C reaches every process in the group
 * and a supervisor may send SIGTERM as well); the bounds guarantee it ends.
 */
export async function serve(app: App, options: ServeOptions): Promise<Served> {
  const log = app.log;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const url = await app.listen({ host: options.host, port: options.port });
  log.info({ url }, 'listening');

  let registration: Registration | undefined;
  let shuttingDown: Promise<number> | undefined;

  const shutdown = (reason: string): Promise<number> => {
    shuttingDown ??= runShutdown(reason);
    return shuttingDown;
  };

  const runShutdown = async (reason: string): Promise<number> => {
    log.info({ reason }, 'shutting down');
    // Last resort if a hook ignores its bound: never hang past the grace period.
    setTimeout(() => exit(1), options.shutdownTimeoutMs + 2 * HOOK_TIMEOUT_MS).unref();
    let code = 0;
    app.shopnow.markShuttingDown();
    if (registration !== undefined) {
      if (!(await bounded('deregister', async () => registration?.stop()))) code = 1;
    }
    if (!(await drain(app, options.shutdownTimeoutMs))) code = 1;
    for (const hook of options.onClose ?? []) {
      if (!(await bounded('close hook', hook))) code = 1;
    }
    log.info({ exit_code: code }, 'stopped');
    return code;
  };

  const bounded = async (what: string, fn: () => Promise<void> | void): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        fn(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`timed out after ${HOOK_TIMEOUT_MS} ms`)),
            HOOK_TIMEOUT_MS,
          );
        }),
      ]);
      return true;
    } catch (err) {
      log.error({ err }, `${what} failed during shutdown`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  };

  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      if (shuttingDown !== undefined) {
        log.warn({ signal }, 'shutdown already in progress');
        return;
      }
      void shutdown(signal).then(exit);
    });
  }

  if (options.registration !== undefined) {
    try {
      registration = await options.registration();
    } catch (err) {
      log.error({ err }, 'registration in discovery failed');
      void shutdown('registration failed').then(() => exit(1));
    }
  }
  return { url, shutdown };
}

/**
 * app.close() stops accepting and waits for in-flight requests. A kept-alive connection that
 * finishes its request during the drain would otherwise hold the close open until its
 * keep-alive timeout, so idle connections are closed as they appear (like Go's Server.Shutdown).
 * Past the bound, the remaining connections are cut.
 */
async function drain(app: App, timeoutMs: number): Promise<boolean> {
  let inTime = true;
  const reaper = setInterval(() => app.server.closeIdleConnections(), IDLE_REAP_INTERVAL_MS);
  const timer = setTimeout(() => {
    inTime = false;
    app.log.warn({ timeout_ms: timeoutMs }, 'drain timed out; closing remaining connections');
    app.server.closeAllConnections();
  }, timeoutMs);
  try {
    await app.close();
  } catch (err) {
    app.log.error({ err }, 'closing the server failed');
    inTime = false;
  } finally {
    clearTimeout(timer);
    clearInterval(reaper);
  }
  return inTime;
}
