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
  /** Released before the whole stack, in the order adopted. */
  readonly #front: Cleanup[] = [];
  #running: Promise<void> | undefined;

  constructor(progress: Progress) {
    this.#progress = progress;
  }

  get begun(): boolean {
    return this.#running !== undefined;
  }

  /** `first`: released before everything else, whenever it was adopted (the public entry). */
  adopt(cleanup: Cleanup, options?: { first?: boolean }): void {
    if (this.#running) {
      void cleanup.run().catch(() => undefined);
      throw new StartupInterrupted();
    }
    if (options?.first) this.#front.push(cleanup);
    else this.#stack.push(cleanup);
  }

  /** Throws if release has begun: call between startup steps. */
  checkpoint(): void {
    if (this.#running) throw new StartupInterrupted();
  }

  /** Idempotent. A failing step is reported and the rest still run. */
  run(): Promise<void> {
    this.#running ??= (async () => {
      const next = () => this.#front.shift() ?? this.#stack.pop();
      for (let cleanup = next(); cleanup; cleanup = next()) {
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
