import type { Discovery } from './discovery.ts';

/**
 * Parses SERVICE_URLS, `product=http://a:1|http://b:2,cart=http://c:3`, failing at start
 * on anything malformed rather than at the first call.
 */
export function parseServiceUrls(spec: string): Map<string, string[]> {
  const services = new Map<string, string[]>();
  for (const part of spec.split(',')) {
    const entry = part.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq).trim();
    const urls = entry
      .slice(eq + 1)
      .split('|')
      .map((url) => url.trim())
      .filter(Boolean);
    if (eq <= 0 || urls.length === 0) throw new Error(`SERVICE_URLS: "${entry}" is not name=url|url`);
    services.set(name, urls.map(baseUrl));
  }
  return services;
}

function baseUrl(raw: string): string {
  const url = URL.parse(raw);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`SERVICE_URLS: "${raw}" is not an http(s) URL`);
  }
  return raw.replace(/\/+$/, '');
}

/** Fixed addresses from configuration: tests, docker-compose, or a proxy in front of each service. */
export class StaticDiscovery implements Discovery {
  readonly #services: Map<string, string[]>;

  constructor(serviceUrls: string) {
    this.#services = parseServiceUrls(serviceUrls);
  }

  async resolve(service: string): Promise<string[]> {
    return this.#services.get(service) ?? [];
  }

  close(): void {}
}
