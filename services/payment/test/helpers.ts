// Shared setup for the payment service's tests: the real card processor (the payment-provider
// service started as its own process on its own fresh database, as the launcher runs it, never
// imported), a fresh migrated payment database on the real (embedded) Postgres, and the real app
// on top with real Ed25519 tokens (TestTokenIssuer) and a postgres event bus on a second database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type App, migrate } from '@shopnow/chassis';
import type { EventContract, Role } from '@shopnow/contracts';
import { createPostgresTransport, EVENTS_MIGRATIONS, type Transport } from '@shopnow/events';
import {
  type BusPublisher,
  publishOnBus as publish,
  type ServiceProcess,
  serviceScripts,
  type TestDatabase,
  type TestTokenIssuer,
  testDatabase,
  eventually as waitUntil,
  withTestbed,
} from '@shopnow/testkit';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { PaymentAppConfig } from '../src/config.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
/** The card processor's entry points: the payment-provider service as the launcher runs it, never imported. */
const provider = serviceScripts(new URL('../../payment-provider/src/', import.meta.url));

export const SECRET = 'sk_test_payment_0123456789';
export const PUBLISHABLE = 'pk_test_payment_0123456789';
export const CARDS = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  processingError: '4000000000000119',
} as const;

/** Polls as the testkit does, with more time: a payment waits on the processor's own process too. */
export const eventually = (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) =>
  waitUntil(what, check, timeoutMs);

// ---- the card processor, as a process ----

export interface ProviderCharge {
  id: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  status: string;
  refunded: boolean;
  customer: string | null;
}

export interface ProviderProcess {
  url: string;
  /** The processor's own database (the test may play a transient fault cleared on its side). */
  db: TestDatabase;
  /** A card token for `customer`, as the shopper's browser would get it. */
  tokenize(card: string, customer: string): Promise<string>;
  /** Sandbox faults for every call (`down`, latency); `reset` goes back to none. */
  faults(settings: { down?: boolean; latencyMs?: number }): Promise<void>;
  resetFaults(): Promise<void>;
  /** The processor's charges of an order (its ledger, for "charged exactly once"). */
  charges(orderId: string): Promise<ProviderCharge[]>;
  close(): Promise<void>;
}

export async function startProviderProcess(): Promise<ProviderProcess> {
  const db = await testDatabase();
  let running: ServiceProcess | undefined;
  try {
    await provider.migrate({ DATABASE_URL: db.url });
    const child = await provider.start({
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      PROVIDER_SECRET_KEY: SECRET,
      PROVIDER_PUBLISHABLE_KEY: PUBLISHABLE,
    });
    running = child;
    const { url } = child;
    const secret = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    const setFaults = async (method: 'PUT' | 'DELETE', body?: unknown) => {
      const res = await fetch(`${url}/v1/sandbox/faults`, {
        method,
        headers: body === undefined ? { authorization: secret.authorization } : secret,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      assert.equal(res.status, 200, text);
    };
    return {
      url,
      db,
      async tokenize(card, customer) {
        const res = await fetch(`${url}/v1/tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${PUBLISHABLE}`, 'content-type': 'application/json' },
          body: JSON.stringify({ card: { number: card, expMonth: 12, expYear: 2034, cvc: '123' }, customer }),
        });
        const text = await res.text();
        assert.equal(res.status, 201, text);
        return (JSON.parse(text) as { id: string }).id;
      },
      faults: (settings) => setFaults('PUT', { latencyMs: 0, errorRate: 0, down: false, ...settings }),
      resetFaults: () => setFaults('DELETE'),
      async charges(orderId) {
        const res = await fetch(`${url}/v1/charges?orderId=${orderId}`, { headers: secret });
        assert.equal(res.status, 200);
        return ((await res.json()) as { items: ProviderCharge[] }).items;
      },
      async close() {
        await child.stop();
        await db.drop();
      },
    };
  } catch (err) {
    running?.kill();
    await db.drop();
    throw err;
  }
}

// ---- the payment app ----

export async function migratePayment(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'payment', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

export interface PaymentFixture {
  app: App;
  pool: pg.Pool;
  issuer: TestTokenIssuer;
  /** A transport on the app's bus, started: publishes what the order service would. */
  bus: Transport;
  close(): Promise<void>;
}

/** Fast retries so tests see several calls in a second; the breaker out of the way unless asked. */
export const FAST = {
  PROVIDER_TIMEOUT_MS: 2000,
  PROVIDER_BREAKER_FAILURES: 1000,
  PROVIDER_BREAKER_OPEN_MS: 1000,
  PAYMENT_RETRY_BASE_MS: 50,
  PAYMENT_RETRY_MAX_MS: 200,
  PAYMENT_SETTLE_MS: 1000,
  PAYMENT_POLL_INTERVAL_MS: 25,
  PAYMENT_BATCH_SIZE: 20,
} satisfies Partial<PaymentAppConfig>;

export async function startPayment(
  providerUrl: string,
  config: Partial<PaymentAppConfig> = {},
): Promise<PaymentFixture> {
  return withTestbed({ migrate: migratePayment }, async (bed) => {
    const app = await buildApp({
      config: {
        ...bed.issuer.tokenConfig,
        LOG_LEVEL: 'silent',
        BODY_LIMIT_BYTES: 65_536,
        PROVIDER_URL: providerUrl,
        PROVIDER_SECRET_KEY: SECRET,
        ...FAST,
        ...config,
      },
      db: bed.db.pool,
      transport: createPostgresTransport({ connectionString: bed.bus.url }),
      identity: bed.issuer.identity('payment'),
    });
    bed.onClose(() => app.close());
    await app.ready();
    const bus = createPostgresTransport({ connectionString: bed.bus.url });
    bed.onClose(() => bus.close());
    await bus.start();
    return { app, pool: bed.db.pool, issuer: bed.issuer, bus, close: bed.close };
  });
}

/** Publishes what the order service would (payment consumes only order's events); resolves to the event id. */
export const publishOnBus = (
  transport: BusPublisher,
  contract: EventContract,
  subject: string,
  data: unknown,
  id?: string,
): Promise<string> => publish(transport, contract, { source: 'order', subject, data, id });

export async function paymentOf(pool: pg.Pool, orderId: string) {
  const { rows } = await pool.query(
    `SELECT id, status, charge_id, refund_id, failure_reason, attempts FROM payments WHERE order_id = $1`,
    [orderId],
  );
  return rows[0] as
    | {
        id: string;
        status: string;
        charge_id: string | null;
        refund_id: string | null;
        failure_reason: string | null;
        attempts: number;
      }
    | undefined;
}

export async function attemptCodes(
  pool: pg.Pool,
  orderId: string,
): Promise<Array<{ kind: string; outcome: string; http_status: number | null; code: string | null }>> {
  const { rows } = await pool.query(
    `SELECT a.kind, a.outcome, a.http_status, a.code FROM payment_attempts a
     JOIN payments p ON p.id = a.payment_id WHERE p.order_id = $1 ORDER BY a.id`,
    [orderId],
  );
  return rows;
}

/** An order.payment_requested.v1 payload. */
export function paymentRequested(
  cardToken: string,
  userId: string,
  amountMinor = 4999,
  orderId: string = randomUUID(),
) {
  return {
    orderId,
    userId,
    amount: { amountMinor, currency: 'EUR' },
    cardToken,
    requestedAt: new Date().toISOString(),
  };
}

export function orderCancelled(orderId: string, userId: string, reason = 'customer_request') {
  return { orderId, userId, reason, refunded: true, cancelledAt: new Date().toISOString() };
}

export async function asUser(f: PaymentFixture, roles: Role[] = ['customer'], userId: string = randomUUID()) {
  return f.issuer.headersFor(userId, { roles });
}

/** What every service's tests share (errors, events, tokens) lives once in the testkit. */
export { assertProblem, bearer, handled, published } from '@shopnow/testkit';
