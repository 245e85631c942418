/** Undo steps registered as resources are acquired, run last-in first-out, each one at most once. */
export class Teardown {
  #steps: Array<() => Promise<void> | void> = [];

  add(step: () => Promise<void> | void): void {
    this.#steps.push(step);
  }

  /** Runs every step even if some fail; rethrows the first failure afterwards. */
  async run(): Promise<void> {
    let failure: unknown;
    for (let step = this.#steps.pop(); step; step = this.#steps.pop()) {
      try {
        await step();
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
