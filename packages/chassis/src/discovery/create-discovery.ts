import type { Discovery, DiscoveryConfig } from './discovery.ts';
import { DnsDiscovery } from './dns-discovery.ts';
import { RegistryDiscovery } from './registry-discovery.ts';
import { StaticDiscovery } from './static-discovery.ts';

/** The strategy named by DISCOVERY: `registry` (embedded launcher), `dns` (Kubernetes), `static`. */
export function createDiscovery(config: DiscoveryConfig): Discovery {
  switch (config.DISCOVERY) {
    case 'registry':
      if (!config.REGISTRY_URL) throw new Error('config: REGISTRY_URL is required when DISCOVERY=registry');
      return new RegistryDiscovery({ registryUrl: config.REGISTRY_URL });
    case 'dns':
      return new DnsDiscovery({ suffix: config.DISCOVERY_DNS_SUFFIX, port: config.DISCOVERY_DNS_PORT });
    case 'static':
      return new StaticDiscovery(config.SERVICE_URLS ?? '');
  }
}
