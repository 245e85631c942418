// Shared setup for the notification service's tests: a fresh migrated database on the real
// (embedded) Postgres, a postgres event bus on a second database, a real SMTP server (smtp-server),
// the profile service's preferences route as a small HTTP server on a real port that checks the
// caller's service token, the product service's product page likewise, and the real app on top with real Ed25519 tokens (TestTokenIssuer).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type App, migrate, StaticDiscovery } from '@shopnow/chassis';
import type { EventContract, Role } from '@shopnow/contracts';
import { createPostgresTransport, EVENTS_MIGRATIONS, type Transport } from '@shopnow/events';
import {
  handled,
  publishOnBus,
  type Testbed,
  type TestTokenIssuer,
  eventually as waitUntil,
  withTestbed,
} from '@shopnow/testkit';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { NotificationAppConfig } from '../src/config.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Polls as the testkit does, with more time: a message waits on the sender's passes and SMTP. */
export const eventually = (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) =>
  waitUntil(what, check, timeoutMs);

// ---- the profile service's preferences, as profile answers them ----

export interface ProfilePrefs {
  marketingOptIn: boolean;
  channels: Array<'email' | 'in_app'>;
  locale: string;
}

export interface ProfileStandIn {
  url: string;
  prefs: Map<string, ProfilePrefs>;
  /** While true, every call is a 503. */
  down: boolean;
  calls: number;
  close(): Promise<void>;
}

/** GET /profiles/:userId/preferences with profile's defaults; only `expectedBearer` is let in. */
export async function startProfileStandIn(expectedBearer: string): Promise<ProfileStandIn> {
  const app: FastifyInstance = Fastify();
  const standIn = { prefs: new Map<string, ProfilePrefs>(), down: false, calls: 0 };
  app.get<{ Params: { userId: string } }>('/profiles/:userId/preferences', async (request, reply) => {
    standIn.calls += 1;
    if (standIn.down) return reply.code(503).send({ code: 'unavailable' });
    if (request.headers.authorization !== expectedBearer)
      return reply.code(401).send({ code: 'unauthorized' });
    const prefs = standIn.prefs.get(request.params.userId) ?? {
      marketingOptIn: false,
      channels: ['email', 'in_app'],
      locale: 'en-GB',
    };
    return { userId: request.params.userId, ...prefs, currency: 'EUR', updatedAt: null };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return Object.assign(standIn, { url: `http://127.0.0.1:${port}`, close: () => app.close() });
}

// ---- the product service's product page, as product answers it ----

export interface ProductStandIn {
  url: string;
  /** Products on sale, by id; any other id is a 404 as product answers it. */
  onSale: Map<string, { sku: string; name: string }>;
  /** While true, every call is a 503. */
  down: boolean;
  close(): Promise<void>;
}

/** GET /products/:id: a product on sale, or product's 404 problem. */
export async function startProductStandIn(): Promise<ProductStandIn> {
  const app: FastifyInstance = Fastify();
  const standIn = { onSale: new Map<string, { sku: string; name: string }>(), down: false };
  app.get<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
    if (standIn.down) return reply.code(503).send({ code: 'unavailable' });
    const product = standIn.onSale.get(request.params.id);
    if (product === undefined) return reply.code(404).send({ code: 'product.not_found' });
    return { id: request.params.id, ...product, active: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return Object.assign(standIn, { url: `http://127.0.0.1:${port}`, close: () => app.close() });
}

// ---- the notification app ----

export async function migrateNotification(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'notification', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

/** Fast retries and polls so tests see several attempts in a second. */
export const FAST = {
  SMTP_MAX_PER_SECOND: 1000,
  SMTP_TIMEOUT_MS: 2000,
  SMTP_MAX_ATTEMPTS: 6,
  SMTP_RETRY_BASE_MS: 50,
  SMTP_RETRY_MAX_MS: 400,
  NOTIFICATION_MAX_WAIT_MS: 60_000,
  PREFERENCES_CACHE_MS: 1,
  PROFILE_TIMEOUT_MS: 1000,
  PRODUCT_TIMEOUT_MS: 2000,
  NOTIFICATION_POLL_INTERVAL_MS: 25,
  NOTIFICATION_BATCH_SIZE: 20,
} satisfies Partial<NotificationAppConfig>;

export interface Fixture {
  app: App;
  pool: pg.Pool;
  issuer: TestTokenIssuer;
  profile: ProfileStandIn;
  products: ProductStandIn;
  /** A transport on the app's bus, started: publishes what the other services would. */
  bus: Transport;
  /** Another instance of the service on the same database and bus (a replica). */
  replica(config?: Partial<NotificationAppConfig>): Promise<App>;
  close(): Promise<void>;
}

async function appOn(
  bed: Testbed,
  { profile, products }: { profile: ProfileStandIn; products: ProductStandIn },
  serviceBearer: string,
  config: Partial<NotificationAppConfig>,
): Promise<App> {
  const app = await buildApp({
    config: {
      ...bed.issuer.tokenConfig,
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 65_536,
      SMTP_FROM: 'ShopNow <no-reply@shopnow.test>',
      DEV_MAILBOX: true,
      WEB_BASE_URL: 'https://shop.example',
      ...FAST,
      ...config,
    },
    db: bed.db.pool,
    discovery: new StaticDiscovery(`profile=${profile.url},product=${products.url}`),
    serviceAuthorization: async () => serviceBearer,
    transport: createPostgresTransport({ connectionString: bed.bus.url }),
    identity: bed.issuer.identity('notification'),
  });
  bed.onClose(() => app.close());
  await app.ready();
  return app;
}

export async function startNotification(config: Partial<NotificationAppConfig> = {}): Promise<Fixture> {
  return withTestbed({ migrate: migrateNotification }, async (bed) => {
    const serviceBearer = `Bearer ${await bed.issuer.service('notification')}`;
    const profile = await startProfileStandIn(serviceBearer);
    bed.onClose(() => profile.close());
    const products = await startProductStandIn();
    bed.onClose(() => products.close());
    const others = { profile, products };
    const app = await appOn(bed, others, serviceBearer, config);
    const bus = createPostgresTransport({ connectionString: bed.bus.url });
    bed.onClose(() => bus.close());
    await bus.start();
    return {
      app,
      pool: bed.db.pool,
      issuer: bed.issuer,
      profile,
      products,
      bus,
      replica: (replicaConfig = {}) => appOn(bed, others, serviceBearer, { ...config, ...replicaConfig }),
      close: bed.close,
    };
  });
}

/** Publishes as the contract's own service would (its domain: `auth`, `order`) and waits until the service has taken the event in. */
export async function deliver(
  f: Fixture,
  contract: EventContract,
  subject: string,
  data: unknown,
  eventId?: string,
) {
  const source = contract.type.split('.')[0] as string;
  const id = await publishOnBus(f.bus, contract, { source, subject, data, id: eventId });
  await eventually(`${contract.type} ${id} handled`, () => handled(f.pool, id));
  return id;
}

export interface MessageRow {
  id: string;
  kind: string;
  status: string;
  to_email: string | null;
  attempts: number;
  last_error: string | null;
  skip_reason: string | null;
}

export async function messagesOf(
  pool: pg.Pool,
  where: { userId?: string; email?: string },
): Promise<MessageRow[]> {
  const { rows } = await pool.query<MessageRow>(
    `SELECT id, kind, status, to_email, attempts, last_error, skip_reason FROM messages
     WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::text IS NULL OR to_email = $2) ORDER BY created_at, id`,
    [where.userId ?? null, where.email ?? null],
  );
  return rows;
}

export async function asUser(f: Fixture, userId: string = randomUUID(), roles: Role[] = ['customer']) {
  return f.issuer.headersFor(userId, { roles });
}

export async function asAdmin(f: Fixture) {
  return asUser(f, randomUUID(), ['admin']);
}

// ---- event payloads ----

export function registered(
  userId = randomUUID(),
  email = `${userId.slice(0, 8)}@example.com`,
  displayName = 'Alice',
) {
  return { userId, email, displayName };
}

export const ADDRESS = {
  recipientName: 'Alice Example',
  line1: '1 Market Street',
  line2: null,
  city: 'Springfield',
  region: null,
  postalCode: '12345',
  country: 'DE',
  phone: null,
};

export function orderConfirmed(userId: string, orderId = randomUUID()) {
  return {
    orderId,
    userId,
    lines: [
      {
        productId: randomUUID(),
        sku: 'MUG-001',
        name: 'Coffee mug',
        quantity: 2,
        unitPrice: { amountMinor: 1250, currency: 'EUR' },
      },
      {
        productId: randomUUID(),
        sku: 'TEA-042',
        name: 'Green tea',
        quantity: 1,
        unitPrice: { amountMinor: 899, currency: 'EUR' },
      },
    ],
    subtotal: { amountMinor: 3399, currency: 'EUR' },
    shipping: { amountMinor: 499, currency: 'EUR' },
    tax: { amountMinor: 646, currency: 'EUR' },
    total: { amountMinor: 4544, currency: 'EUR' },
    shippingAddress: ADDRESS,
    confirmedAt: new Date().toISOString(),
    cartId: null,
  };
}

/** What every service's tests share (errors, events, tokens) lives once in the testkit. */
export { assertProblem, bearer, handled, publishOnBus } from '@shopnow/testkit';
