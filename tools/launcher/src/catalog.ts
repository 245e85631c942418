import type { Secrets } from './home/secrets.ts';

/**
 * The services the embedded runtime runs. Adding a service = adding an entry.
 * `slot` fixes a loopback service's port block: basePort + 10 * slot + replica
 * index (slot 0 is the gateway's, which listens on the public port instead, so
 * product's first replica is 4110).
 */
export interface ServiceDefinition {
  name: string;
  slot: number;
  /** Entry point, relative to the repository root. */
  main: string;
  /** One-off admin command (`migrate`, `seed`), relative to the repository root. */
  admin?: string;
  /** The admin commands run before the service starts, in order. Default `['migrate', 'seed']`. */
  setup?: readonly string[];
  /**
   * The service applies its migrations itself as it starts (MIGRATE_ON_START): one process
   * instead of an admin process and then the service, which is most of a first start's CPU.
   */
  migrateOnStart?: boolean;
  /** Gets its own database and login role, named after the service (or `databaseName`). */
  database: boolean;
  /** When the service's name cannot name a role ([a-z][a-z0-9_]*). */
  databaseName?: string;
  /** Modules loaded with `--import` before main (tracing must load first). */
  preload: string[];
  /** Path printed as the URL to open while this service is the public entry. */
  entryPath?: string;
  /**
   * The public entry: listens on SHOPNOW_GATEWAY_HOST at SHOPNOW_GATEWAY_PORT + replica index
   * instead of a loopback port, and is stopped first, so no request arrives for a stopped service.
   */
  edge?: boolean;
  /** Defaults for this service's environment (the launcher's own environment overrides them). */
  env?: Readonly<Record<string, string>>;
  /**
   * Services whose instances must be ready before this one's start (the gateway waits for token).
   * Not needed for events: every service's migrate declares its consumer groups before any starts.
   */
  startAfter?: readonly string[];
  /**
   * Environment made from the home's secrets and the run's addresses: the keys and URL of an
   * outside system it stands in for or calls (found by address, not by discovery, as a real one is).
   */
  wiredEnv?: (wiring: Wiring) => Record<string, string>;
}

export interface Wiring {
  secrets: Secrets;
  /** Base URL of a service's first instance in this run. */
  urlOf: (service: string) => string;
}

export const TRACING_PRELOAD = '@shopnow/chassis/tracing';

const identityService = (name: string, slot: number): ServiceDefinition => ({
  name,
  slot,
  main: `services/${name}/src/main.ts`,
  admin: `services/${name}/src/admin.ts`,
  setup: [],
  migrateOnStart: true,
  database: true,
  preload: [TRACING_PRELOAD],
});

export const SERVICES: readonly ServiceDefinition[] = [
  {
    name: 'gateway',
    slot: 0,
    main: 'services/gateway/src/main.ts',
    database: false,
    preload: [TRACING_PRELOAD],
    entryPath: '/api/products',
    edge: true,
    // It checks every caller's token against the token service's keys: started before token, its
    // first calls failed and opened its circuit to token for seconds after the platform was ready.
    startAfter: ['token'],
  },
  {
    name: 'product',
    slot: 1,
    main: 'services/product/src/main.ts',
    admin: 'services/product/src/admin.ts',
    // `seed` applies pending migrations first: one admin process on the first start's critical path instead of two.
    setup: ['seed'],
    database: true,
    preload: [TRACING_PRELOAD],
  },
  identityService('auth', 2),
  identityService('token', 3),
  identityService('user', 4),
  identityService('profile', 5),
  {
    name: 'inventory',
    slot: 6,
    main: 'services/inventory/src/main.ts',
    admin: 'services/inventory/src/admin.ts',
    setup: [],
    migrateOnStart: true,
    database: true,
    preload: [TRACING_PRELOAD],
    // The demo catalog is for buying: every product starts with stock (production starts at 0).
    env: { NEW_SKU_STOCK: '100' },
  },
  {
    name: 'cart',
    slot: 7,
    main: 'services/cart/src/main.ts',
    admin: 'services/cart/src/admin.ts',
    setup: [],
    migrateOnStart: true,
    database: true,
    preload: [TRACING_PRELOAD],
  },
  {
    name: 'order',
    slot: 8,
    main: 'services/order/src/main.ts',
    admin: 'services/order/src/admin.ts',
    setup: [],
    migrateOnStart: true,
    database: true,
    preload: [TRACING_PRELOAD],
    // Checks card tokens at the processor (found by discovery as payment-provider).
    wiredEnv: ({ secrets }) => ({ PROVIDER_SECRET_KEY: secrets.paymentProvider.secretKey }),
  },
  {
    name: 'payment',
    slot: 9,
    main: 'services/payment/src/main.ts',
    admin: 'services/payment/src/admin.ts',
    setup: [],
    migrateOnStart: true,
    database: true,
    preload: [TRACING_PRELOAD],
    wiredEnv: ({ secrets, urlOf }) => ({
      PROVIDER_URL: urlOf('payment-provider'),
      PROVIDER_SECRET_KEY: secrets.paymentProvider.secretKey,
    }),
  },
  {
    // Stands in for an outside card processor: its own keys, not ShopNow's identity.
    name: 'payment-provider',
    slot: 10,
    main: 'services/payment-provider/src/main.ts',
    admin: 'services/payment-provider/src/admin.ts',
    setup: [],
    migrateOnStart: true,
    database: true,
    databaseName: 'payment_provider',
    preload: [TRACING_PRELOAD],
    wiredEnv: ({ secrets }) => ({
      PROVIDER_SECRET_KEY: secrets.paymentProvider.secretKey,
      PROVIDER_PUBLISHABLE_KEY: secrets.paymentProvider.publishableKey,
    }),
  },
  {
    name: 'shipping',
    slot: 11,
    main: 'services/shipping/src/main.ts',
    admin: 'services/shipping/src/admin.ts',
    setup: [],
    migrateOnStart: true,
    database: true,
    preload: [TRACING_PRELOAD],
  },
  {
    name: 'notification',
    slot: 12,
    main: 'services/notification/src/main.ts',
    admin: 'services/notification/src/admin.ts',
    setup: [],
    migrateOnStart: true,
    database: true,
    preload: [TRACING_PRELOAD],
    // No SMTP server on one machine: every email is stored and shown at /dev/mailbox (loopback only).
    env: { DEV_MAILBOX: 'true' },
    // Links in emails lead to the public entry.
    wiredEnv: ({ urlOf }) => ({ WEB_BASE_URL: urlOf('gateway') }),
  },
];

export const MAX_REPLICAS = 10;
/** The highest slot a service may take: the loopback ports span basePort … basePort + 10 * MAX_SLOT + 9. */
export const MAX_SLOT = 15;

/** Where the instances listen: the loopback block for services, the public port for the edge. */
export interface PortPlan {
  basePort: number;
  gatewayPort: number;
}

export function servicePort(ports: PortPlan, service: ServiceDefinition, replicaIndex: number): number {
  if (service.edge) return ports.gatewayPort + replicaIndex;
  return ports.basePort + 10 * service.slot + replicaIndex;
}

export function instanceId(service: ServiceDefinition, replicaIndex: number): string {
  return `${service.name}-${replicaIndex + 1}`;
}
