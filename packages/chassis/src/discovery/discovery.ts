/** Finds the base URLs (`http://host:port`) of a service's instances by its name. */
export interface Discovery {
  /** The instances known now; an empty list when the service has none. */
  resolve(service: string): Promise<string[]>;
  close(): void;
}

/** The discovery part of the chassis config (see baseConfigSpec). */
export interface DiscoveryConfig {
  DISCOVERY: 'static' | 'registry' | 'dns';
  REGISTRY_URL?: string | undefined;
  DISCOVERY_DNS_SUFFIX?: string | undefined;
  DISCOVERY_DNS_PORT?: number | undefined;
  SERVICE_URLS?: string | undefined;
}
