// Shared setup for the notification service's tests: a fresh migrated database on the real
// (embedded) Postgres, a postgres event bus on a second database, a real SMTP server (smtp-server),
// the profile service's preferences route as a small HTTP server on a real port that checks the
// caller's service token, and the real app on top with real Ed25519 tokens (TestTokenIssuer).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type App, createIdentity, migrate, StaticDiscovery } from '@shopnow/chassis';
import type { EventContract, Role } from '@shopnow/contracts';
import { createPostgresTransport, EVENTS_MIGRATIONS, type Transport } from '@shopnow/events';
import { TestTokenIssuer, testDatabase } from '@shopnow/testkit';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { NotificationAppConfig } from '../src/config.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting until ${what}`);
}

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
  NOTIFICATION_POLL_INTERVAL_MS: 25,
  NOTIFICATION_BATCH_SIZE: 20,
} satisfies Partial<NotificationAppConfig>;

export interface Fixture {
  app: App;
  pool: pg.Pool;
  issuer: TestTokenIssuer;
  profile: ProfileStandIn;
  /** A transport on the app's bus, started: publishes what the other services would. */
  bus: Transport;
  /** Another instance of the service on the same database and bus (a replica). */
  replica(config?: Partial<NotificationAppConfig>): Promise<App>;
  close(): Promise<void>;
}

interface Shared {
  pool: pg.Pool;
  busUrl: string;
  issuer: TestTokenIssuer;
  profile: ProfileStandIn;
  serviceBearer: string;
}

async function appOn(shared: Shared, config: Partial<NotificationAppConfig>): Promise<App> {
  const tokens = { TOKEN_ISSUER: 'shopnow-token', TOKEN_AUDIENCE: 'shopnow' };
  const app = await buildApp({
    config: {
      ...tokens,
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 65_536,
      SMTP_FROM: 'ShopNow <no-reply@shopnow.test>',
      DEV_MAILBOX: true,
      WEB_BASE_URL: 'https://shop.example',
      ...FAST,
      ...config,
    },
    db: shared.pool,
    discovery: new StaticDiscovery(`profile=${shared.profile.url}`),
    serviceAuthorization: async () => shared.serviceBearer,
    transport: createPostgresTransport({ connectionString: shared.busUrl }),
    identity: createIdentity({
      service: 'notification',
      config: tokens,
      keys: shared.issuer.keys,
      revocations: shared.issuer.revocations,
    }),
  });
  await app.ready();
  return app;
}

export async function startNotification(config: Partial<NotificationAppConfig> = {}): Promise<Fixture> {
  const db = await testDatabase();
  const busDb = await testDatabase();
  const issuer = await TestTokenIssuer.create();
  const serviceBearer = `Bearer ${await issuer.service('notification')}`;
  const profile = await startProfileStandIn(serviceBearer);
  try {
    await migrateNotification(db.pool);
    const shared: Shared = { pool: db.pool, busUrl: busDb.url, issuer, profile, serviceBearer };
    const app = await appOn(shared, config);
    const bus = createPostgresTransport({ connectionString: busDb.url });
    await bus.start();
    const replicas: App[] = [];
    return {
      app,
      pool: db.pool,
      issuer,
      profile,
      bus,
      async replica(replicaConfig = {}) {
        const replica = await appOn(shared, { ...config, ...replicaConfig });
        replicas.push(replica);
        return replica;
      },
      close: async () => {
        await bus.close();
        for (const replica of replicas) await replica.close();
        await app.close();
        await profile.close();
        await db.drop();
        await busDb.drop();
      },
    };
  } catch (err) {
    await profile.close();
    await db.drop();
    await busDb.drop();
    throw err;
  }
}

/** Publishes `data` as `source` would, as a CloudEvents envelope on the bus; resolves to the event id. */
export async function publishOnBus(
  transport: Transport,
  contract: EventContract,
  subject: string,
  data: unknown,
  eventId: string = randomUUID(),
  source = 'order',
): Promise<string> {
  assert.deepEqual(contract.problems(data), [], `test event breaks ${contract.type}`);
  const envelope = {
    specversion: '1.0',
    id: eventId,
    type: contract.type,
    source,
    time: new Date().toISOString(),
    subject,
    datacontenttype: 'application/json',
    data,
  };
  await transport.publish([{ id: eventId, type: contract.type, subject, body: JSON.stringify(envelope) }]);
  return eventId;
}

export const handled = async (pool: pg.Pool, eventId: string): Promise<boolean> =>
  (await pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId])).rowCount === 1;

/** Publishes and waits until the service has taken the event in. */
export async function deliver(
  f: Fixture,
  contract: EventContract,
  subject: string,
  data: unknown,
  eventId?: string,
) {
  const id = await publishOnBus(f.bus, contract, subject, data, eventId, contract.type.split('.')[0]);
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

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function asUser(f: Fixture, userId: string = randomUUID(), roles: Role[] = ['customer']) {
  return bearer(await f.issuer.user(userId, { roles }));
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

export { assertProblem } from '@shopnow/testkit';
