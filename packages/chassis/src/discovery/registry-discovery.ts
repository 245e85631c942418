import { request } from 'undici';
import { cachedLookup } from './cached-lookup.ts';
import type { Discovery, ResolveOptions } from './discovery.ts';

export interface RegistryDiscoveryOptions {
  registryUrl: string;
  /** How long an answer is reused; the client's passive ejection covers a dead instance meanwhile. */
  cacheMs?: number;
  timeoutMs?: number;
}

interface ServiceInstances {
  instances: Array<{ id: string; url: string }>;
}

/** Asks the launcher's registry (`GET /registry/services/:name`), caching answers briefly. */
export class RegistryDiscovery implements Discovery {
  readonly #registryUrl: string;
  readonly #timeoutMs: number;
  readonly #cache;

  constructor(options: RegistryDiscoveryOptions) {
    this.#registryUrl = options.registryUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 1_000;
    this.#cache = cachedLookup((service) => this.#fetch(service), options.cacheMs ?? 2_000);
  }

  resolve(service: string, options?: ResolveOptions): Promise<string[]> {
    return this.#cache.get(service, options?.fresh);
  }

  async #fetch(service: string): Promise<string[]> {
    const response = await request(`${this.#registryUrl}/registry/services/${encodeURIComponent(service)}`, {
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    if (response.statusCode === 404) {
      await response.body.dump();
      return [];
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`registry answered ${response.statusCode} for service ${service}`);
    }
    const { instances } = (await response.body.json()) as ServiceInstances;
    return instances.map((instance) => instance.url.replace(/\/+$/, ''));
  }

  close(): void {
    this.#cache.clear();
  }
}
