import type { Instance } from './instance.ts';

/**
 * Chooses an instance per attempt: round robin, or least outstanding requests with ties broken
 * round robin (the scan starts at a rotating offset and keeps the first minimum). Skips
 * ejected/unhealthy instances and those already tried by this request. When none is available on
 * a first attempt, it falls back to the one due back first (healthy before unhealthy), as the
 * chassis balancer does, rather than failing; retries never fall back (they must go elsewhere).
 */
export class Balancer {
  leastOutstanding: boolean;
  #cursor = 0;

  constructor(leastOutstanding: boolean) {
    this.leastOutstanding = leastOutstanding;
  }

  pick(
    instances: readonly Instance[],
    now: number,
    tried: readonly Instance[] | undefined,
  ): Instance | undefined {
    const n = instances.length;
    if (n === 0) return undefined;
    const start = this.#cursor;
    this.#cursor = start >= 0x3fffffff ? 0 : start + 1;
    let best: Instance | undefined;
    for (let i = 0; i < n; i++) {
      const instance = instances[(start + i) % n] as Instance;
      if (!instance.isAvailable(now) || tried?.includes(instance)) continue;
      if (!this.leastOutstanding) return instance;
      if (best === undefined || instance.inFlight < best.inFlight) best = instance;
    }
    if (best !== undefined || tried !== undefined) return best;
    return dueBackFirst(instances);
  }
}

function dueBackFirst(instances: readonly Instance[]): Instance | undefined {
  let best: Instance | undefined;
  for (const instance of instances) {
    if (
      best === undefined ||
      (instance.healthy && !best.healthy) ||
      (instance.healthy === best.healthy && instance.ejectedUntil < best.ejectedUntil)
    ) {
      best = instance;
    }
  }
  return best;
}
