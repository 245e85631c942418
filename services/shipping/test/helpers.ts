// Shared setup for the shipping service's tests: fresh databases on the real (embedded) Postgres,
// migrated like production; the shipment functions driven directly with an outbox-only publisher;
// or the real app on top, with real Ed25519 tokens (TestTokenIssuer) and a postgres event bus on a
// second database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type App, createIdentity, createLogger, migrate } from '@shopnow/chassis';
import type { EventContract, EventData, OrderConfirmedV1, Role } from '@shopnow/contracts';
import {
  createPostgresTransport,
  EVENTS_MIGRATIONS,
  outboxOnlyEvents,
  type Transport,
} from '@shopnow/events';
import { type TestDatabase, TestTokenIssuer, testDatabase } from '@shopnow/testkit';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { ShippingAppConfig } from '../src/config.ts';
import type { ShippingContext, ShippingSettings } from '../src/context.ts';
import { shippingCatalog } from '../src/events/catalog.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
export const SETTINGS: ShippingSettings = {
  rules: { originCountry: 'NL', expressThresholdMinor: 10_000 },
  origin: { city: 'Rotterdam', country: 'NL' },
  carrierStepSeconds: null,
};
const silent = createLogger({ service: 'shipping', version: 'test', level: 'silent' });

/** A fresh, migrated shipping database. */
export async function shippingDatabase(): Promise<TestDatabase> {
  const db = await testDatabase();
  try {
    await migrate(db.pool, { service: 'shipping', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
    return db;
  } catch (err) {
    await db.drop();
    throw err;
  }
}

/** What the shipment functions get: events into the outbox of `pool`'s database, as the app's would. */
export function testContext(pool: pg.Pool, settings: Partial<ShippingSettings> = {}): ShippingContext {
  return {
    events: outboxOnlyEvents({ service: 'shipping', db: pool, catalog: shippingCatalog, logger: silent }),
    settings: { ...SETTINGS, ...settings },
    logger: silent,
  };
}

export const ADDRESS = {
  recipientName: 'Ada Lovelace',
  line1: '12 Keizersgracht',
  line2: 'Apartment 3',
  city: 'Amsterdam',
  region: 'Noord-Holland',
  postalCode: '1015 CJ',
  country: 'NL',
  phone: '+31201234567',
};

/** An order.confirmed.v1 payload: one line, `totalMinor` in EUR, to ADDRESS unless told otherwise. */
export function orderConfirmed(
  overrides: Partial<EventData<typeof OrderConfirmedV1>> & { totalMinor?: number } = {},
): EventData<typeof OrderConfirmedV1> {
  const { totalMinor = 5000, ...rest } = overrides;
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
  return {
    orderId: randomUUID(),
    userId: randomUUID(),
    lines: [
      {
        productId: randomUUID(),
        sku: 'AUD-001',
        name: 'Wireless Headphones',
        quantity: 1,
        unitPrice: eur(totalMinor),
      },
    ],
    subtotal: eur(totalMinor),
    shipping: eur(0),
    tax: eur(0),
    total: eur(totalMinor),
    shippingAddress: ADDRESS,
    confirmedAt: new Date().toISOString(),
    cartId: null,
    ...rest,
  };
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

/** The types of every event in the outbox about `subject`, oldest first. */
export async function publishedTypes(pool: pg.Pool, subject: string): Promise<string[]> {
  const { rows } = await pool.query<{ type: string }>(
    'SELECT type FROM outbox WHERE subject = $1 ORDER BY seq',
    [subject],
  );
  return rows.map((row) => row.type);
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

// ---- the app ----

export interface ShippingFixture {
  app: App;
  pool: pg.Pool;
  issuer: TestTokenIssuer;
  /** Another transport on the app's bus (to publish what order would). */
  newTransport(): Transport;
  close(): Promise<void>;
}

export async function startShipping(config: Partial<ShippingAppConfig> = {}): Promise<ShippingFixture> {
  const db = await shippingDatabase();
  const bus = await testDatabase();
  const newTransport = () => createPostgresTransport({ connectionString: bus.url });
  try {
    const issuer = await TestTokenIssuer.create();
    const tokens = { TOKEN_ISSUER: 'shopnow-token', TOKEN_AUDIENCE: 'shopnow' };
    const app = await buildApp({
      config: {
        ...tokens,
        LOG_LEVEL: 'silent',
        BODY_LIMIT_BYTES: 65_536,
        SHIP_FROM_CITY: 'Rotterdam',
        SHIP_FROM_COUNTRY: 'NL',
        EXPRESS_THRESHOLD_MINOR: 10_000,
        CARRIER_STEP_SECONDS: 0,
        CARRIER_SWEEP_INTERVAL_MS: 100,
        ...config,
      },
      db: db.pool,
      transport: newTransport(),
      identity: createIdentity({
        service: 'shipping',
        config: tokens,
        keys: issuer.keys,
        revocations: issuer.revocations,
      }),
    });
    await app.ready();
    return {
      app,
      pool: db.pool,
      issuer,
      newTransport,
      close: async () => {
        await app.close();
        await db.drop();
        await bus.drop();
      },
    };
  } catch (err) {
    await db.drop();
    await bus.drop();
    throw err;
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function asUser(
  f: ShippingFixture,
  userId: string = randomUUID(),
  roles: Role[] = ['customer'],
) {
  return bearer(await f.issuer.user(userId, { roles }));
}

/** Publishes `data` as `source` would, as a CloudEvents envelope on the bus; resolves to the event id. */
export async function publishOnBus<C extends EventContract>(
  transport: Transport,
  contract: C,
  source: string,
  subject: string,
  data: unknown,
  eventId: string = randomUUID(),
): Promise<string> {
  const problems = contract.problems(data);
  assert.deepEqual(problems, [], `test event breaks ${contract.type}`);
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

/** Every service answers errors alike, so the assertion lives once in the testkit. */
export { assertProblem } from '@shopnow/testkit';

/** Everything the service stores, to prove a refused request changed nothing. */
export async function snapshot(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT (SELECT md5(coalesce(string_agg(s::text, '|' ORDER BY id), '')) FROM shipments s) AS shipments,
            (SELECT count(*) FROM shipment_history) AS history,
            (SELECT count(*) FROM outbox) AS outbox`,
  );
  return JSON.stringify(rows[0]);
}
