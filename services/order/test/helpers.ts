// Shared setup for the order service's tests: a fresh order database on the real (embedded)
// Postgres, migrated like production; a postgres event bus on a second database; the real app
// (one or more instances on the same database) with real Ed25519 tokens (TestTokenIssuer); the
// upstream fixtures (product, profile, cart) and the real payment-provider process.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type App, createIdentity, migrate, StaticDiscovery } from '@shopnow/chassis';
import type { EventContract, Role } from '@shopnow/contracts';
import { createPostgresTransport, EVENTS_MIGRATIONS, type Transport } from '@shopnow/events';
import { type TestDatabase, TestTokenIssuer, testDatabase } from '@shopnow/testkit';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { OrderAppConfig } from '../src/config.ts';
import {
  PROVIDER_SECRET,
  type ProviderProcess,
  ShopFixture,
  startProviderProcess,
} from './upstream-fixtures.ts';

export { assertProblem } from '@shopnow/testkit';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export async function migrateOrder(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'order', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting until ${what}`);
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
  const db = await testDatabase();
  const busDb = await testDatabase();
  const shop = await new ShopFixture().start();
  const cleanups: Array<() => Promise<void>> = [() => shop.close(), () => busDb.drop(), () => db.drop()];
  const cleanup = async () => {
    for (const c of cleanups.splice(0)) await c().catch(() => {});
  };
  try {
    await migrateOrder(db.pool);
    const provider = await startProviderProcess();
    cleanups.unshift(() => provider.close());
    const issuer = await TestTokenIssuer.create();
    const tokens = { TOKEN_ISSUER: 'shopnow-token', TOKEN_AUDIENCE: 'shopnow' };
    const instances: App[] = [];
    const addInstance = async () => {
      const app = await buildApp({
        config: {
          ...tokens,
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
        db: db.pool,
        discovery: new StaticDiscovery(shop.serviceUrls),
        transport: createPostgresTransport({ connectionString: busDb.url }),
        identity: createIdentity({
          service: 'order',
          config: tokens,
          keys: issuer.keys,
          revocations: issuer.revocations,
        }),
      });
      await app.ready();
      instances.push(app);
      cleanups.unshift(() => app.close());
      return app;
    };
    const app = await addInstance();
    const bus = createPostgresTransport({ connectionString: busDb.url });
    await bus.start();
    cleanups.unshift(() => bus.close());
    return { app, instances, pool: db.pool, issuer, shop, provider, bus, addInstance, close: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

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
    headers: bearer(await f.issuer.user(userId, { roles: options.roles ?? ['customer'] })),
    addressId: f.shop.addAddress(userId, options.country ?? 'DE').id,
    cardToken: await f.provider.tokenize(userId),
  };
}

export async function adminHeaders(f: OrderFixture) {
  return bearer(await f.issuer.user(randomUUID(), { roles: ['admin'] }));
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

/** The data of the outbox's events of `contract`, oldest first, optionally of one subject. */
export async function published<C extends EventContract>(
  pool: pg.Pool,
  contract: C,
  subject?: string,
): Promise<Array<Record<string, unknown>>> {
  const { rows } = await pool.query<{ body: string }>(
    'SELECT body FROM outbox WHERE type = $1 AND ($2::text IS NULL OR subject = $2) ORDER BY seq',
    [contract.type, subject ?? null],
  );
  return rows.map((row) => JSON.parse(row.body).data);
}

/** Publishes `data` as `source` would (a CloudEvents envelope on the bus); resolves once handled. */
export async function deliver<C extends EventContract>(
  f: OrderFixture,
  contract: C,
  source: string,
  data: { orderId: string } & Record<string, unknown>,
  eventId: string = randomUUID(),
): Promise<string> {
  assert.deepEqual(contract.problems(data), [], `test event breaks ${contract.type}`);
  const envelope = {
    specversion: '1.0',
    id: eventId,
    type: contract.type,
    source,
    time: new Date().toISOString(),
    subject: data.orderId,
    datacontenttype: 'application/json',
    data,
  };
  await f.bus.publish([
    { id: eventId, type: contract.type, subject: data.orderId, body: JSON.stringify(envelope) },
  ]);
  await eventually(`${contract.type} ${eventId} handled`, async () => {
    const { rowCount } = await f.pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId]);
    return rowCount === 1;
  });
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
