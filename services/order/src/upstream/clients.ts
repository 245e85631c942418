// The order service's upstreams, each through the chassis resilient client (time budget, retries
// of these idempotent GETs, circuit breaker, bulkhead): product, profile and cart by discovery
// name; the card processor by PROVIDER_URL when set, else by the discovery name payment-provider.
import {
  createServiceClient,
  type Discovery,
  type Logger,
  type ServiceClient,
  StaticDiscovery,
} from '@shopnow/chassis';
import { MAX_LINES } from '../domain/order-lines.ts';

export interface Upstreams {
  product: ServiceClient;
  profile: ServiceClient;
  cart: ServiceClient;
  provider: ServiceClient;
  providerSecretKey: string;
  close(): Promise<void>;
}

export function createUpstreams(options: {
  discovery: Discovery;
  providerUrl?: string | undefined;
  providerSecretKey: string;
  timeoutMs: number;
  logger?: Logger | undefined;
}): Upstreams {
  const { discovery, timeoutMs } = options;
  const client = (service: string, extra: { discovery?: Discovery; maxQueued?: number } = {}) =>
    createServiceClient({
      service,
      discovery: extra.discovery ?? discovery,
      timeoutMs,
      attemptTimeoutMs: Math.max(500, Math.floor(timeoutMs / 2)),
      ...(extra.maxQueued === undefined ? {} : { maxQueued: extra.maxQueued }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  const providerDiscovery =
    options.providerUrl === undefined
      ? discovery
      : new StaticDiscovery(`payment-provider=${options.providerUrl}`);
  const clients = {
    // One order reads up to MAX_LINES products at once: they queue for the bulkhead, not fail.
    product: client('product', { maxQueued: MAX_LINES * 8 }),
    profile: client('profile'),
    cart: client('cart'),
    provider: client('payment-provider', { discovery: providerDiscovery }),
  };
  return {
    ...clients,
    providerSecretKey: options.providerSecretKey,
    close: async () => {
      await Promise.all(Object.values(clients).map((c) => c.close()));
    },
  };
}
