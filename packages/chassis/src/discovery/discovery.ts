/** Finds the base URLs (`http://host:port`) of a service's instances by its name. */
export interface Discovery {
  /** The instances known now; an empty list when the service has none. */
  resolve(service: string, options?: ResolveOptions): Promise<string[]>;
  close(): void;
}

export interface ResolveOptions {
  /**
   * Ask the source now rather than reuse a recent answer: for a caller that keeps its own list and
   * refreshes it on a timer (the gateway), so a new instance shows within one of its refreshes.
   */
  fresh?: boolean;
}

/** The discovery part of the chassis config (see baseConfigSpec). */
export interface DiscoveryConfig {
  DISCOVERY: 'static' | 'registry' | 'dns';
  REGISTRY_URL?: string | undefined;
  DISCOVERY_DNS_SUFFIX?: string | undefined;
  DISCOVERY_DNS_PORT?: number | undefined;
  SERVICE_URLS?: string | undefined;
}
