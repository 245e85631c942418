// Shared setup for the order service's tests: a fresh order database on the real (embedded)
// Postgres, migrated like production; a postgres event bus on a second database; the real app
// (one or more instances on the same database) with real Ed25519 tokens (TestTokenIssuer); the
// upstream fixtures (product, profile, cart) and the real payment-provider process.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type App, migrate, StaticDiscovery } from '@shopnow/chassis';
import type { EventContract, Role } from '@shopnow/contracts';
import { createPostgresTransport, EVENTS_MIGRATIONS, type Transport } from '@shopnow/events';
import {
  eventually,
  handled,
  publishOnBus,
  type TestDatabase,
  type TestTokenIssuer,
  withTestbed,
} from '@shopnow/testkit';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { OrderAppConfig } from '../src/config.ts';
import {
  PROVIDER_SECRET,
  type ProviderProcess,
  ShopFixture,
  startProviderProcess,
} from './upstream-fixtures.ts';

/** What every service's tests share (errors, events, polling, tokens) lives once in the testkit. */
export { assertProblem, bearer, eventually, published } from '@shopnow/testkit';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export async function migrateOrder(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'order', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

export interface OrderFixture {
  /** The first instance; `instances` holds every one (same database, same bus). */
  app: App;
  instances: App[];
  pool: pg.Pool;
  issuer: TestTokenIssuer;
  shop: ShopFixture;
  provider: ProviderProcess;
  /** A transport on the apps' bus (to publish what inventory or payment would). */
  bus: Transport;
  /** Another instance of the service on the same database and bus (a replica). */
  addInstance(): Promise<App>;
  close(): Promise<void>;
}

export type TestConfig = Partial<OrderAppConfig>;

export async function startOrder(config: TestConfig = {}): Promise<OrderFixture> {
  return withTestbed({ migrate: migrateOrder }, async (bed) => {
    const shop = await new ShopFixture().start();
    bed.onClose(() => shop.close());
    const provider = await startProviderProcess();
    bed.onClose(() => provider.close());
    const instances: App[] = [];
    const addInstance = async () => {
      const app = await buildApp({
        config: {
          ...bed.issuer.tokenConfig,
          LOG_LEVEL: 'silent',
          BODY_LIMIT_BYTES: 1_048_576,
          STOCK_TIMEOUT_SECONDS: 120,
          PAYMENT_TIMEOUT_SECONDS: 600,
          TIMEOUT_SWEEP_INTERVAL_MS: 60_000,
          PROVIDER_URL: provider.url,
          PROVIDER_SECRET_KEY: PROVIDER_SECRET,
          UPSTREAM_TIMEOUT_MS: 3000,
          PUBLIC_PATH_PREFIX: '/api',
          ...config,
        },
        db: bed.db.pool,
        discovery: new StaticDiscovery(shop.serviceUrls),
        transport: createPostgresTransport({ connectionString: bed.bus.url }),
        identity: bed.issuer.identity('order'),
      });
      bed.onClose(() => app.close());
      await app.ready();
      instances.push(app);
      return app;
    };
    const app = await addInstance();
    const bus = createPostgresTransport({ connectionString: bed.bus.url });
    bed.onClose(() => bus.close());
    await bus.start();
    return {
      app,
      instances,
      pool: bed.db.pool,
      issuer: bed.issuer,
      shop,
      provider,
      bus,
      addInstance,
      close: bed.close,
    };
  });
}

/** A signed-in customer: their id, Authorization header, one address and a card token of theirs. */
export interface Customer {
  userId: string;
  headers: { authorization: string };
  addressId: string;
  cardToken: string;
}

export async function customer(
  f: OrderFixture,
  options: { country?: string; roles?: Role[] } = {},
): Promise<Customer> {
  const userId = randomUUID();
  return {
    userId,
    headers: await f.issuer.headersFor(userId, { roles: options.roles ?? ['customer'] }),
    addressId: f.shop.addAddress(userId, options.country ?? 'DE').id,
    cardToken: await f.provider.tokenize(userId),
  };
}

export async function adminHeaders(f: OrderFixture) {
  return f.issuer.headersFor(randomUUID(), { roles: ['admin'] });
}

/** POST /orders as `c` with `body` (defaults: c's address and card, no lines: the cart). */
export function placeOrder(
  f: OrderFixture,
  c: Customer,
  body: Record<string, unknown> = {},
  key: string | null = randomUUID(),
  app: App = f.app,
) {
  return app.inject({
    method: 'POST',
    url: '/orders',
    headers: { ...c.headers, ...(key === null ? {} : { 'idempotency-key': key }) },
    payload: { cardToken: c.cardToken, addressId: c.addressId, ...body },
  });
}

/** Publishes `data` as `source` would (a CloudEvents envelope on the bus); resolves once handled. */
export async function deliver<C extends EventContract>(
  f: OrderFixture,
  contract: C,
  source: string,
  data: { orderId: string } & Record<string, unknown>,
  eventId: string = randomUUID(),
): Promise<string> {
  await publishOnBus(f.bus, contract, { source, subject: data.orderId, data, id: eventId });
  await eventually(`${contract.type} ${eventId} handled`, () => handled(f.pool, eventId));
  return eventId;
}

export async function statusOf(pool: pg.Pool, orderId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId]);
  return rows[0]?.status;
}

/** Everything the service stores, to prove a refused request changed nothing. */
export async function snapshot(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_lines) AS lines,
            (SELECT count(*) FROM order_transitions) AS transitions, (SELECT count(*) FROM outbox) AS outbox,
            (SELECT count(*) FROM idempotency_keys) AS keys`,
  );
  return JSON.stringify(rows[0]);
}

export type { TestDatabase };
