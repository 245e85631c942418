export interface EjectionOptions {
  /** Consecutive failures (5xx, timeout, broken connection) that take an instance out. Default 5. */
  consecutiveFailures?: number;
  /** How long an ejected instance gets no traffic. Default 10 s. */
  durationMs?: number;
}

interface Health {
  failures: number;
  ejectedUntil: number;
}

/**
 * Round robin over a service's instances with passive outlier ejection (as Envoy does):
 * an instance that fails repeatedly, or refuses a connection even once, is skipped for
 * a while, so callers route around a dead replica at once instead of waiting for
 * discovery to notice. If every instance is ejected, the one due back first is tried
 * rather than failing outright.
 */
export class InstanceBalancer {
  readonly #threshold: number;
  readonly #durationMs: number;
  readonly #health = new Map<string, Health>();
  #cursor = 0;

  constructor(options: EjectionOptions = {}) {
    this.#threshold = options.consecutiveFailures ?? 5;
    this.#durationMs = options.durationMs ?? 10_000;
  }

  pick(urls: readonly string[]): string {
    const now = Date.now();
    this.#forgetDeparted(urls);
    const available = urls.filter((url) => (this.#health.get(url)?.ejectedUntil ?? 0) <= now);
    if (available.length === 0) return this.#dueBackFirst(urls);
    this.#cursor = (this.#cursor + 1) % 1_000_000_007;
    return available[this.#cursor % available.length] as string;
  }

  succeeded(url: string): void {
    this.#health.delete(url);
  }

  /** `unreachable`: the connection was refused or never opened, which ejects at once. */
  failed(url: string, unreachable: boolean): void {
    const health = this.#health.get(url) ?? { failures: 0, ejectedUntil: 0 };
    health.failures += 1;
    if (unreachable || health.failures >= this.#threshold) {
      health.ejectedUntil = Date.now() + this.#durationMs;
      health.failures = 0;
    }
    this.#health.set(url, health);
  }

  isEjected(url: string): boolean {
    return (this.#health.get(url)?.ejectedUntil ?? 0) > Date.now();
  }

  #dueBackFirst(urls: readonly string[]): string {
    let best = urls[0] as string;
    for (const url of urls) {
      if ((this.#health.get(url)?.ejectedUntil ?? 0) < (this.#health.get(best)?.ejectedUntil ?? 0))
        best = url;
    }
    return best;
  }

  /** Instances that left discovery must not accumulate state forever. */
  #forgetDeparted(urls: readonly string[]): void {
    if (this.#health.size <= urls.length * 2) return;
    const current = new Set(urls);
    for (const url of this.#health.keys()) if (!current.has(url)) this.#health.delete(url);
  }
}
