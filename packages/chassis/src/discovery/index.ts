export { createDiscovery } from './create-discovery.ts';
export type { Discovery, DiscoveryConfig, ResolveOptions } from './discovery.ts';
export { DnsDiscovery, type DnsDiscoveryOptions } from './dns-discovery.ts';
export { type RegisterInstanceOptions, type Registration, registerInstance } from './register-instance.ts';
export { RegistryDiscovery, type RegistryDiscoveryOptions } from './registry-discovery.ts';
export { parseServiceUrls, StaticDiscovery } from './static-discovery.ts';
