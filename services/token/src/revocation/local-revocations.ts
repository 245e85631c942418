// The token service verifies callers on its own routes against its own revocation log: the
// chassis's RevocationList, fed from the table instead of over HTTP. Reloaded every 2 s (other
// replicas' revocations) and right after each local one.
import { type Logger, RevocationList } from '@shopnow/chassis';
import type pg from 'pg';
import { MAX_REVOCATIONS_PAGE, revocationsAfter } from '../store/revocations.ts';

export class LocalRevocations {
  readonly list: RevocationList;
  readonly #db: pg.Pool;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  readonly #intervalMs: number;
  #after = 0;
  #timer: NodeJS.Timeout | undefined;
  #loading: Promise<void> | undefined;
  #again = false;

  constructor(options: { db: pg.Pool; logger?: Pick<Logger, 'warn'>; intervalMs?: number }) {
    this.#db = options.db;
    this.#logger = options.logger;
    this.#intervalMs = options.intervalMs ?? 2000;
    // Never polls over HTTP: entries arrive through apply() below.
    this.list = new RevocationList({
      client: { request: () => Promise.reject(new Error('not used')), close: async () => {} },
    });
  }

  async start(): Promise<void> {
    await this.reload();
    this.#timer = setInterval(() => void this.reload(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Applies what was committed since the last load. A call during a load runs once more after it. */
  async reload(): Promise<void> {
    if (this.#loading !== undefined) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      try {
        do {
          this.#again = false;
          await this.#loadPages();
        } while (this.#again);
      } catch (err) {
        this.#logger?.warn({ err }, 'revocations: reload failed; retrying');
      } finally {
        this.#loading = undefined;
      }
    })();
    return this.#loading;
  }

  async #loadPages(): Promise<void> {
    for (;;) {
      const page = await revocationsAfter(this.#db, this.#after, new Date());
      this.list.apply(page);
      const advanced = page.lastSeq > this.#after;
      this.#after = page.lastSeq;
      if (page.entries.length < MAX_REVOCATIONS_PAGE || !advanced) return;
    }
  }
}
