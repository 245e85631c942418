// Shared setup for the auth service's integration tests: a fresh database on the real (embedded)
// Postgres, migrated like production; a bus database; real access tokens (TestTokenIssuer); a
// stand-in token service on a real port; a clock the tests move instead of sleeping.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { type App, createServiceClient, migrate, StaticDiscovery } from '@shopnow/chassis';
import { createPostgresTransport, EVENTS_MIGRATIONS } from '@shopnow/events';
import {
  outboxEvents as envelopes,
  type TestDatabase,
  type TestTokenIssuer,
  withTestbed,
} from '@shopnow/testkit';
import type { LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { ThrottleRules } from '../src/domain/throttle.ts';
import { startTokenServer, type TokenServer } from './token-server.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** A clock the test moves. */
export class TestClock {
  #now = Date.parse('2026-01-01T00:00:00Z');
  now = (): Date => new Date(this.#now);
  advance(ms: number): void {
    this.#now += ms;
  }
}

export interface AuthFixture {
  app: App;
  db: TestDatabase;
  pool: pg.Pool;
  /** The bus database the app's events go through (postgres transport). */
  bus: TestDatabase;
  issuer: TestTokenIssuer;
  tokenServer: TokenServer;
  clock: TestClock;
  close(): Promise<void>;
}

export async function migrateAuth(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'auth', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

export async function startAuth(
  options: { throttle?: Partial<ThrottleRules>; realClock?: boolean } = {},
): Promise<AuthFixture> {
  return withTestbed({ migrate: migrateAuth }, async (bed) => {
    const { issuer } = bed;
    const tokenServer = await startTokenServer(issuer);
    bed.onClose(() => tokenServer.close());
    const tokenClient = createServiceClient({
      service: 'token',
      discovery: new StaticDiscovery(`token=${tokenServer.url}`),
      timeoutMs: 3000,
    });
    bed.onClose(() => tokenClient.close());
    const clock = new TestClock();
    const app = await buildApp({
      transport: createPostgresTransport({ connectionString: bed.bus.url }),
      config: { ...issuer.tokenConfig, LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: 1_048_576 },
      db: bed.db.pool,
      identity: issuer.identity('auth'),
      tokenClient,
      serviceAuthorization: async () => `Bearer ${await issuer.service('auth')}`,
      ...(options.realClock ? {} : { clock: clock.now }),
      ...(options.throttle ? { throttle: options.throttle } : {}),
    });
    bed.onClose(() => app.close());
    await app.ready();
    return {
      app,
      db: bed.db,
      pool: bed.db.pool,
      bus: bed.bus,
      issuer,
      tokenServer,
      clock,
      close: bed.close,
    };
  });
}

/** Every service answers errors alike, so the assertion lives once in the testkit. */
export { assertProblem } from '@shopnow/testkit';

/** The events in the outbox, oldest first (optionally of one type), as their envelopes. */
export async function outboxEvents(
  pool: pg.Pool,
  type?: string,
): Promise<Array<{ type: string; subject: string; data: Record<string, unknown> }>> {
  return envelopes(pool, { type });
}

/** Everything the auth tables hold, to prove a request changed nothing. */
export async function snapshot(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT (SELECT md5(coalesce(string_agg(a::text, '|' ORDER BY id), '')) FROM accounts a) AS accounts,
            (SELECT count(*) FROM email_verification_tokens) AS verifications,
            (SELECT count(*) FROM password_reset_tokens) AS resets`,
  );
  return JSON.stringify(rows[0]);
}

let counter = 0;
/** A fresh address for each test. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${counter}.${Date.now()}@example.com`;
}

export const GOOD_PASSWORD = 'plaid-otter-harbour-71';

export async function register(
  f: AuthFixture,
  body: { email: string; password?: string; displayName?: string },
): Promise<LightMyRequestResponse> {
  return f.app.inject({
    method: 'POST',
    url: '/register',
    payload: { password: GOOD_PASSWORD, displayName: 'Test User', ...body },
  });
}

export async function login(
  f: AuthFixture,
  body: { email: string; password: string },
  remoteAddress = '10.0.0.1',
): Promise<LightMyRequestResponse> {
  return f.app.inject({ method: 'POST', url: '/login', payload: body, remoteAddress });
}

/** The user id of an account by email. */
export async function accountId(pool: pg.Pool, email: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [email]);
  assert.ok(rows[0], `no account ${email}`);
  return rows[0].id;
}
