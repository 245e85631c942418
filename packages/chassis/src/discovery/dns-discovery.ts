import { promises as dns } from 'node:dns';
import { cachedLookup } from './cached-lookup.ts';
import type { Discovery, ResolveOptions } from './discovery.ts';

export interface DnsDiscoveryOptions {
  /** Host = `<service>.<suffix>` (e.g. `shop.svc.cluster.local`), or just `<service>` when empty. */
  suffix?: string;
  port?: number;
  cacheMs?: number;
  /** DNS servers (`ip:port`) instead of the system's; for tests and odd clusters. */
  servers?: string[];
}

const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * Kubernetes: a service name resolves to its ClusterIP, or to every ready pod's IP for a
 * headless service, which this client then balances over itself. A name that does not
 * exist is an empty list, not an error.
 */
export class DnsDiscovery implements Discovery {
  readonly #suffix: string;
  readonly #port: number;
  readonly #resolver = new dns.Resolver();
  readonly #cache;

  constructor(options: DnsDiscoveryOptions = {}) {
    this.#suffix = options.suffix ?? '';
    this.#port = options.port ?? 8080;
    if (options.servers) this.#resolver.setServers(options.servers);
    this.#cache = cachedLookup((service) => this.#lookup(service), options.cacheMs ?? 5_000);
  }

  resolve(service: string, options?: ResolveOptions): Promise<string[]> {
    return this.#cache.get(service, options?.fresh);
  }

  async #lookup(service: string): Promise<string[]> {
    const host = this.#suffix ? `${service}.${this.#suffix}` : service;
    try {
      const ips = await this.#resolver.resolve4(host);
      return ips.map((ip) => `http://${ip}:${this.#port}`);
    } catch (err) {
      if (NO_SUCH_NAME.has((err as NodeJS.ErrnoException).code ?? '')) return [];
      throw err;
    }
  }

  close(): void {
    this.#resolver.cancel();
    this.#cache.clear();
  }
}
