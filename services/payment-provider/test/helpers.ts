// Shared setup for the provider's tests: a fresh database on the real (embedded) Postgres,
// migrated like production, the real app on top with a clock and error-rate draws the test
// controls, and every log line kept (to prove no card number is ever written).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { type App, createLogger, migrate } from '@shopnow/chassis';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { ProviderAppConfig } from '../src/config.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export const SECRET = 'sk_test_0123456789abcdef';
export const PUBLISHABLE = 'pk_test_0123456789abcdef';
export const secretAuth = { authorization: `Bearer ${SECRET}` };
export const publishableAuth = { authorization: `Bearer ${PUBLISHABLE}` };

export const CARDS = {
  succeeds: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  insufficientFunds: '4000 0000 0000 9995',
  processingError: '4000 0000 0000 0119',
  /** Not a test card, valid: succeeds like any other. */
  mastercard: '5555 5555 5555 4444',
  amex: '3782 822463 10005',
} as const;

/** 12/2034: in the future for the tests' fixed clock and for years of real time. */
export const EXPIRY = { expMonth: 12, expYear: 2034 };
export const START = new Date('2030-06-15T12:00:00.000Z');

export interface Provider {
  app: App;
  pool: pg.Pool;
  db: TestDatabase;
  /** Moves the app's clock. */
  advance(ms: number): void;
  now(): Date;
  /** The next error-rate draws, in order (then 0.999…: no fault). */
  draws: number[];
  /** Everything logged so far. */
  logText(): string;
  close(): Promise<void>;
}

export interface StartOptions {
  config?: Partial<ProviderAppConfig>;
  /** Another replica on the same database instead of a fresh one. */
  db?: TestDatabase;
  /** Error-rate draws; default: the `draws` the test pushes, then no fault. */
  random?: () => number;
}

export async function migrateProvider(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'payment-provider', dir: MIGRATIONS_DIR });
}

export async function startProvider(options: StartOptions = {}): Promise<Provider> {
  const ownDb = options.db === undefined;
  const db = options.db ?? (await testDatabase());
  try {
    if (ownDb) await migrateProvider(db.pool);
    let now = START.getTime();
    const draws: number[] = [];
    const logged: string[] = [];
    const logger = createLogger({
      service: 'payment-provider',
      version: 'test',
      level: 'trace',
      stream: { write: (line: string) => void logged.push(line) },
    });
    const app = await buildApp({
      config: {
        LOG_LEVEL: 'trace',
        BODY_LIMIT_BYTES: 65_536,
        PROVIDER_SECRET_KEY: SECRET,
        PROVIDER_PUBLISHABLE_KEY: PUBLISHABLE,
        TOKEN_TTL_SECONDS: 900,
        SANDBOX_LATENCY_MS: 0,
        SANDBOX_ERROR_RATE: 0,
        ...options.config,
      },
      db: db.pool,
      logger,
      clock: () => new Date(now),
      random: options.random ?? (() => draws.shift() ?? 0.999_999),
    });
    await app.ready();
    return {
      app,
      pool: db.pool,
      db,
      advance: (ms) => {
        now += ms;
      },
      now: () => new Date(now),
      draws,
      logText: () => logged.join(''),
      close: async () => {
        await app.close();
        if (ownDb) await db.drop();
      },
    };
  } catch (err) {
    if (ownDb) await db.drop();
    throw err;
  }
}

export interface TokenBody {
  id: string;
  status: string;
  card: { brand: string; last4: string; expMonth: number; expYear: number };
  customer: string | null;
  expiresAt: string;
  charge: string | null;
}

export async function tokenize(
  p: Provider,
  number: string,
  extra: Record<string, unknown> = {},
): Promise<TokenBody> {
  const res = await p.app.inject({
    method: 'POST',
    url: '/v1/tokens',
    headers: publishableAuth,
    payload: { card: { number, ...EXPIRY, cvc: number.startsWith('37') ? '1234' : '123' }, ...extra },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as TokenBody;
}

let keys = 0;
export const newKey = () => `key-${process.pid}-${++keys}-${Date.now()}`;

export function postCharge(p: Provider, body: Record<string, unknown>, key: string = newKey()) {
  return p.app.inject({
    method: 'POST',
    url: '/v1/charges',
    headers: { ...secretAuth, 'idempotency-key': key },
    payload: body,
  });
}

export function postRefund(p: Provider, body: Record<string, unknown>, key: string = newKey()) {
  return p.app.inject({
    method: 'POST',
    url: '/v1/refunds',
    headers: { ...secretAuth, 'idempotency-key': key },
    payload: body,
  });
}

export interface ChargeBody {
  id: string;
  amount: number;
  amountRefunded: number;
  status: string;
  refunded: boolean;
  failureCode: string | null;
  customer: string | null;
  metadata: Record<string, string>;
  token: string;
  card: { brand: string; last4: string };
  refunds: Array<{ id: string; amount: number }>;
}

/** A succeeded charge of `amount` on a fresh 4242 token. */
export async function paidCharge(
  p: Provider,
  amount: number,
  extra: Record<string, unknown> = {},
): Promise<ChargeBody> {
  const token = await tokenize(p, CARDS.succeeds);
  const res = await postCharge(p, { amount, currency: 'EUR', token: token.id, ...extra });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as ChargeBody;
}

/** Row counts of everything a request could write. */
export async function ledgerCounts(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM tokens) AS tokens, (SELECT count(*) FROM charges) AS charges,
            (SELECT count(*) FROM refunds) AS refunds, (SELECT count(*) FROM idempotency_keys) AS keys,
            (SELECT coalesce(sum(amount_refunded), 0) FROM charges) AS refunded,
            (SELECT count(*) FROM tokens WHERE used_by IS NOT NULL) AS used_tokens`,
  );
  return JSON.stringify(rows[0]);
}
