import type { Progress } from '../ui/progress.ts';

export class StartupInterrupted extends Error {
  constructor() {
    super('startup interrupted');
    this.name = 'StartupInterrupted';
  }
}

export interface Cleanup {
  name: string;
  run: () => Promise<unknown>;
  /** Printed when done; silent when absent. */
  doneText?: string;
}

/**
 * Resources are stacked as they come up and released in reverse order, which
 * for the launcher means services → registry → PostgreSQL → its own records.
 * Release may begin at any moment, also while startup is still running: what
 * is adopted afterwards is released at once and startup is told to give up.
 */
export class Teardown {
  readonly #progress: Progress;
  readonly #stack: Cleanup[] = [];
  #running: Promise<void> | undefined;

  constructor(progress: Progress) {
    this.#progress = progress;
  }

  get begun(): boolean {
    return this.#running !== undefined;
  }

  adopt(cleanup: Cleanup): void {
    if (this.#running) {
      void cleanup.run().catch(() => undefined);
      throw new StartupInterrupted();
    }
    this.#stack.push(cleanup);
  }

  /** Throws if release has begun: call between startup steps. */
  checkpoint(): void {
    if (this.#running) throw new StartupInterrupted();
  }

  /** Idempotent. A failing step is reported and the rest still run. */
  run(): Promise<void> {
    this.#running ??= (async () => {
      for (let cleanup = this.#stack.pop(); cleanup; cleanup = this.#stack.pop()) {
        const started = Date.now();
        try {
          await cleanup.run();
          if (cleanup.doneText) this.#progress.done(cleanup.name, cleanup.doneText, started);
        } catch (err) {
          this.#progress.warn(cleanup.name, `did not stop cleanly: ${(err as Error).message}`);
        }
      }
    })();
    return this.#running;
  }
}
