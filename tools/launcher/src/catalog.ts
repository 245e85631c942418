/**
 * The services the embedded runtime runs. Adding a service = adding an entry.
 * `slot` fixes its port block: basePort + 10 * slot + replica index
 * (slot 0 is kept for the gateway, so product's first replica is 4110).
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
  /** Gets its own database and login role named after the service. */
  database: boolean;
  /** Modules loaded with `--import` before main (tracing must load first). */
  preload: string[];
  /** Path printed as the URL to open while this service is the public entry. */
  entryPath?: string;
}

export const TRACING_PRELOAD = '@shopnow/chassis/tracing';

const identityService = (name: string, slot: number): ServiceDefinition => ({
  name,
  slot,
  main: `services/${name}/src/main.ts`,
  admin: `services/${name}/src/admin.ts`,
  setup: ['migrate'],
  database: true,
  preload: [TRACING_PRELOAD],
});

export const SERVICES: readonly ServiceDefinition[] = [
  {
    name: 'product',
    slot: 1,
    main: 'services/product/src/main.ts',
    admin: 'services/product/src/admin.ts',
    // `seed` applies pending migrations first: one admin process on the first start's critical path instead of two.
    setup: ['seed'],
    database: true,
    preload: [TRACING_PRELOAD],
    // Until the gateway exists the product service is the public entry.
    entryPath: '/products',
  },
  identityService('auth', 2),
  identityService('token', 3),
  identityService('user', 4),
  identityService('profile', 5),
];

export const MAX_REPLICAS = 10;

export function servicePort(basePort: number, service: ServiceDefinition, replicaIndex: number): number {
  return basePort + 10 * service.slot + replicaIndex;
}

export function instanceId(service: ServiceDefinition, replicaIndex: number): string {
  return `${service.name}-${replicaIndex + 1}`;
}
