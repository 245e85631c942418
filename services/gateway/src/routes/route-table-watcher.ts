// Reloading the route table without a restart: on a change of the file (fs.watch on its
// directory, so editors' write-and-rename saves are seen) or on request (SIGHUP, admin API).
// A broken edit never takes effect: the running table stays and the problem is logged.
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadRouteTable } from './load-route-table.ts';
import type { RouteTable } from './route-table.ts';

/** The logging the watcher needs (a pino logger fits). */
export interface WatcherLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RouteTableWatcherOptions {
  readonly path: string;
  readonly logger: WatcherLogger;
  /** Called with each new table that loaded (not for the first one, which start() returns). */
  readonly onChange: (table: RouteTable) => void;
  /** Called when a reload was refused (e.g. to count it in a metric). */
  readonly onError?: (error: Error) => void;
  /** Quiet time after the last file event before reloading. Default 100 ms. */
  readonly debounceMs?: number;
}

export type ReloadResult = { ok: true; version: string; changed: boolean } | { ok: false; error: string };

export class RouteTableWatcher {
  readonly #options: RouteTableWatcherOptions;
  #table: RouteTable | undefined;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<ReloadResult> = Promise.resolve({ ok: true, version: '', changed: false });

  constructor(options: RouteTableWatcherOptions) {
    this.#options = options;
  }

  /** Load the table (throws RouteTableError when it is unusable — fail at start) and begin watching. */
  async start(): Promise<RouteTable> {
    const table = this.#table ?? (await loadRouteTable(this.#options.path));
    this.#table = table;
    if (this.#watcher === undefined) {
      const file = basename(this.#options.path);
      this.#watcher = watch(dirname(this.#options.path), { persistent: false }, (_event, name) => {
        if (name === null || name === file) this.#schedule();
      });
      this.#watcher.on('error', (err) => this.#options.logger.warn({ err }, 'route table watch failed'));
    }
    return table;
  }

  /** The table in effect. */
  current(): RouteTable {
    if (this.#table === undefined) throw new Error('RouteTableWatcher.current() before start()');
    return this.#table;
  }

  /**
   * Load the file again now. A good table replaces the current one (onChange when its version
   * differs); a bad one is refused, logged and reported, and the current table stays.
   */
  reload(): Promise<ReloadResult> {
    // One at a time, in order: the last reload always reads the latest file.
    this.#reloading = this.#reloading.then(() => this.#reloadNow());
    return this.#reloading;
  }

  /** Stop watching (pending debounced reloads are dropped). */
  stop(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.reload();
    }, this.#options.debounceMs ?? 100);
    this.#timer.unref();
  }

  async #reloadNow(): Promise<ReloadResult> {
    const { logger, path } = this.#options;
    try {
      const table = await loadRouteTable(path);
      const previous = this.#table;
      if (previous !== undefined && previous.version === table.version) {
        return { ok: true, version: table.version, changed: false };
      }
      this.#table = table;
      logger.info(
        { version: table.version, previous: previous?.version, routes: table.routes.length },
        'route table reloaded',
      );
      try {
        this.#options.onChange(table);
      } catch (err) {
        logger.warn({ err }, 'route table onChange handler failed');
      }
      return { ok: true, version: table.version, changed: true };
    } catch (err) {
      const error = err as Error;
      logger.warn(
        { err: error, kept: this.#table?.version },
        'route table reload refused; keeping the current table',
      );
      this.#options.onError?.(error);
      return { ok: false, error: error.message };
    }
  }
}
