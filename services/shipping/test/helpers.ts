// Shared setup for the shipping service's tests: fresh databases on the real (embedded) Postgres,
// migrated like production; the shipment functions driven directly with an outbox-only publisher;
// or the real app on top, with real Ed25519 tokens (TestTokenIssuer) and a postgres event bus on a
// second database.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type App, createLogger, migrate } from '@shopnow/chassis';
import type { EventData, OrderConfirmedV1, Role } from '@shopnow/contracts';
import {
  createPostgresTransport,
  EVENTS_MIGRATIONS,
  outboxOnlyEvents,
  type Transport,
} from '@shopnow/events';
import {
  migratedDatabase,
  outboxEvents,
  type TestDatabase,
  type TestTokenIssuer,
  withTestbed,
} from '@shopnow/testkit';
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

export async function migrateShipping(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'shipping', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

/** A fresh, migrated shipping database. */
export const shippingDatabase = (): Promise<TestDatabase> => migratedDatabase(migrateShipping);

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

/** The types of every event in the outbox about `subject`, oldest first. */
export async function publishedTypes(pool: pg.Pool, subject: string): Promise<string[]> {
  return (await outboxEvents(pool, { subject })).map((event) => event.type);
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
  return withTestbed({ migrate: migrateShipping }, async (bed) => {
    const newTransport = () => createPostgresTransport({ connectionString: bed.bus.url });
    const app = await buildApp({
      config: {
        ...bed.issuer.tokenConfig,
        LOG_LEVEL: 'silent',
        BODY_LIMIT_BYTES: 65_536,
        SHIP_FROM_CITY: 'Rotterdam',
        SHIP_FROM_COUNTRY: 'NL',
        EXPRESS_THRESHOLD_MINOR: 10_000,
        CARRIER_STEP_SECONDS: 0,
        CARRIER_SWEEP_INTERVAL_MS: 100,
        ...config,
      },
      db: bed.db.pool,
      transport: newTransport(),
      identity: bed.issuer.identity('shipping'),
    });
    bed.onClose(() => app.close());
    await app.ready();
    return { app, pool: bed.db.pool, issuer: bed.issuer, newTransport, close: bed.close };
  });
}

export async function asUser(
  f: ShippingFixture,
  userId: string = randomUUID(),
  roles: Role[] = ['customer'],
) {
  return f.issuer.headersFor(userId, { roles });
}

/** What every service's tests share (errors, events, polling, tokens) lives once in the testkit. */
export { assertProblem, bearer, eventually, handled, published, publishOnBus } from '@shopnow/testkit';

/** Everything the service stores, to prove a refused request changed nothing. */
export async function snapshot(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT (SELECT md5(coalesce(string_agg(s::text, '|' ORDER BY id), '')) FROM shipments s) AS shipments,
            (SELECT count(*) FROM shipment_history) AS history,
            (SELECT count(*) FROM outbox) AS outbox`,
  );
  return JSON.stringify(rows[0]);
}
