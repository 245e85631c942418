// Shared setup for the cart service's tests: fresh databases on the real (embedded) Postgres,
// migrated like production; a real Redis (the run's, or a private one); a product-like HTTP
// server; and the real app on top, with real Ed25519 tokens (TestTokenIssuer), a postgres event
// bus on a second database, and a clock the test moves.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type App, migrate, StaticDiscovery } from '@shopnow/chassis';
import { createPostgresTransport, type Transport } from '@shopnow/events';
import {
  migratedDatabase,
  type RunningRedis,
  startRedis,
  type TestDatabase,
  type TestTokenIssuer,
  testRedisUrl,
  withTestbed,
} from '@shopnow/testkit';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { Sweeper } from '../src/carts/sweeper.ts';
import { MIGRATIONS } from '../src/migrations.ts';
import { type ProductServer, startProductServer, type TestProduct } from './product-server.ts';

export async function migrateCart(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'cart', ...MIGRATIONS });
}

/** A fresh, migrated cart database. */
export const cartDatabase = (): Promise<TestDatabase> => migratedDatabase(migrateCart);

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
  return withTestbed({ migrate: migrateCart }, async (bed) => {
    const products = await startProductServer();
    bed.onClose(() => products.stop());
    const clock = new TestClock();
    const newTransport = () => createPostgresTransport({ connectionString: bed.bus.url });
    let sweeper: Sweeper | undefined;
    const app = await buildApp({
      config: {
        ...bed.issuer.tokenConfig,
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
      db: bed.db.pool,
      transport: newTransport(),
      discovery: new StaticDiscovery(`product=${products.url}`),
      identity: bed.issuer.identity('cart'),
      now: clock.now,
      onSweeper: (s) => {
        sweeper = s;
      },
    });
    bed.onClose(() => app.close());
    await app.ready();
    return {
      app,
      pool: bed.db.pool,
      issuer: bed.issuer,
      products,
      clock,
      sweeper: () => sweeper as Sweeper,
      stock: (...items) => {
        for (const item of items) products.products.set(item.id, item);
        return items;
      },
      newTransport,
      busIdle: bed.busIdle,
      close: bed.close,
    };
  });
}

/** A signed-in customer: their id and request headers. */
export async function customer(f: CartFixture, userId: string = randomUUID()) {
  return { userId, headers: await f.issuer.headersFor(userId) };
}

/** A new anonymous cart: its id and the headers that open it. */
export async function anonymousCart(f: CartFixture) {
  const res = await f.app.inject({ method: 'POST', url: '/carts' });
  assert.equal(res.statusCode, 201, res.body);
  const { cartId, cartToken } = res.json() as { cartId: string; cartToken: string };
  return { cartId, cartToken, headers: { 'x-cart-token': cartToken } };
}

/** What every service's tests share (errors, events, polling, tokens) lives once in the testkit. */
export { assertProblem, bearer, eventually, handled, publishOnBus } from '@shopnow/testkit';
