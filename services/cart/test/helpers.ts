// Shared setup for the cart service's tests: fresh databases on the real (embedded) Postgres,
// migrated like production; a real Redis (the run's, or a private one); a product-like HTTP
// server; and the real app on top, with real Ed25519 tokens (TestTokenIssuer), a postgres event
// bus on a second database, and a clock the test moves.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type App, createIdentity, migrate, StaticDiscovery } from '@shopnow/chassis';
import type { EventContract } from '@shopnow/contracts';
import { createPostgresTransport, type Transport } from '@shopnow/events';
import {
  type RunningRedis,
  startRedis,
  type TestDatabase,
  TestTokenIssuer,
  testDatabase,
  testRedisUrl,
} from '@shopnow/testkit';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { Sweeper } from '../src/carts/sweeper.ts';
import { MIGRATIONS } from '../src/migrations.ts';
import { type ProductServer, startProductServer, type TestProduct } from './product-server.ts';

/** A fresh, migrated cart database. */
export async function cartDatabase(): Promise<TestDatabase> {
  const db = await testDatabase();
  try {
    await migrate(db.pool, { service: 'cart', ...MIGRATIONS });
    return db;
  } catch (err) {
    await db.drop();
    throw err;
  }
}

/** The run's shared Redis (npm test starts one), else a private server for this file. */
export async function redisForTests(): Promise<{ url: string; stop(): Promise<void> }> {
  const shared = testRedisUrl();
  if (shared !== undefined) return { url: shared, stop: async () => {} };
  const own: RunningRedis = await startRedis();
  return { url: own.url, stop: () => own.stop() };
}

/** A clock the test moves; each reading is 1 ms after the last, so the order of changes shows. */
export class TestClock {
  ms = Date.now();
  readonly now = () => this.ms++;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const DAY_MS = 86_400_000;

export function product(overrides: Partial<TestProduct> = {}): TestProduct {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    sku: `SKU-${id.slice(0, 8).toUpperCase()}`,
    name: `Product ${id.slice(0, 8)}`,
    price: { amountMinor: 1999, currency: 'USD' },
    active: true,
    ...overrides,
  };
}

export interface CartFixture {
  app: App;
  pool: pg.Pool;
  issuer: TestTokenIssuer;
  products: ProductServer;
  clock: TestClock;
  sweeper(): Sweeper;
  /** Adds products to the product server's catalog. */
  stock(...items: TestProduct[]): TestProduct[];
  newTransport(): Transport;
  busIdle(): Promise<void>;
  close(): Promise<void>;
}

export async function startCart(
  options: { redisUrl?: string; idleDays?: number } = {},
): Promise<CartFixture> {
  const db = await cartDatabase();
  const bus = await testDatabase();
  const products = await startProductServer();
  const clock = new TestClock();
  const newTransport = () => createPostgresTransport({ connectionString: bus.url });
  let sweeper: Sweeper | undefined;
  try {
    const issuer = await TestTokenIssuer.create();
    const tokens = { TOKEN_ISSUER: 'shopnow-token', TOKEN_AUDIENCE: 'shopnow' };
    const app = await buildApp({
      config: {
        ...tokens,
        LOG_LEVEL: 'silent',
        BODY_LIMIT_BYTES: 65_536,
        REDIS_URL: options.redisUrl,
        CART_IDLE_DAYS: options.idleDays ?? 30,
        CART_SWEEP_INTERVAL_MS: 3_600_000,
        CART_CURRENCY: 'USD',
        PRODUCT_TIMEOUT_MS: 1500,
        PRODUCT_MAX_STALENESS_MS: 5000,
        PRODUCT_FALLBACK_ENTRIES: 1000,
      },
      db: db.pool,
      transport: newTransport(),
      discovery: new StaticDiscovery(`product=${products.url}`),
      identity: createIdentity({
        service: 'cart',
        config: tokens,
        keys: issuer.keys,
        revocations: issuer.revocations,
      }),
      now: clock.now,
      onSweeper: (s) => {
        sweeper = s;
      },
    });
    await app.ready();
    return {
      app,
      pool: db.pool,
      issuer,
      products,
      clock,
      sweeper: () => sweeper as Sweeper,
      stock: (...items) => {
        for (const item of items) products.products.set(item.id, item);
        return items;
      },
      newTransport,
      busIdle: () =>
        eventually('the bus has nothing left to deliver', async () => {
          const { rows } = await bus.pool.query(
            `SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active')`,
          );
          return rows[0].n === 0;
        }),
      close: async () => {
        await app.close();
        await products.stop();
        await db.drop();
        await bus.drop();
      },
    };
  } catch (err) {
    await products.stop();
    await db.drop();
    await bus.drop();
    throw err;
  }
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

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A signed-in customer: their id and request headers. */
export async function customer(f: CartFixture, userId: string = randomUUID()) {
  return { userId, headers: bearer(await f.issuer.user(userId)) };
}

/** A new anonymous cart: its id and the headers that open it. */
export async function anonymousCart(f: CartFixture) {
  const res = await f.app.inject({ method: 'POST', url: '/carts' });
  assert.equal(res.statusCode, 201, res.body);
  const { cartId, cartToken } = res.json() as { cartId: string; cartToken: string };
  return { cartId, cartToken, headers: { 'x-cart-token': cartToken } };
}

/** Publishes `data` as `source` would, as a CloudEvents envelope on the bus; resolves to the event id. */
export async function publishOnBus<C extends EventContract>(
  transport: Transport,
  contract: C,
  source: string,
  subject: string,
  data: unknown,
  options: { eventId?: string; time?: Date } = {},
): Promise<string> {
  const problems = contract.problems(data);
  assert.deepEqual(problems, [], `test event breaks ${contract.type}`);
  const eventId = options.eventId ?? randomUUID();
  const envelope = {
    specversion: '1.0',
    id: eventId,
    type: contract.type,
    source,
    time: (options.time ?? new Date()).toISOString(),
    subject,
    datacontenttype: 'application/json',
    data,
  };
  await transport.publish([{ id: eventId, type: contract.type, subject, body: JSON.stringify(envelope) }]);
  return eventId;
}

export const handled = async (pool: pg.Pool, eventId: string): Promise<boolean> =>
  (await pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId])).rowCount === 1;

/** Every service answers errors alike, so the assertion lives once in the testkit. */
export { assertProblem } from '@shopnow/testkit';
