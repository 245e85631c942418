// Shared setup for the token service's integration tests: a fresh database on the real (embedded)
// Postgres, migrated like production, a second one as the event bus, and the real app on top.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { App } from '@shopnow/chassis';
import { migrate } from '@shopnow/chassis';
import type { EventContract, EventData } from '@shopnow/contracts';
import { createPostgresTransport, EVENTS_MIGRATIONS, type Transport } from '@shopnow/events';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import type { LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import { type BuildAppDeps, buildApp } from '../src/app.ts';
import { parseServiceClients } from '../src/domain/service-clients.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
export const CLIENT_SECRETS = { auth: 'auth-secret-0123456789', order: 'order-secret-0123456789' };
export const SERVICE_CLIENTS = Object.entries(CLIENT_SECRETS)
  .map(([name, secret]) => `${name}=${secret}`)
  .join(',');

export interface TokenFixture {
  app: App;
  db: TestDatabase;
  pool: pg.Pool;
  bus: TestDatabase;
  /** A bearer header for a service's own token, got through POST /oauth/token. */
  serviceAuth(name: keyof typeof CLIENT_SECRETS): Promise<{ authorization: string }>;
  /** Signs a user in as the auth service does (POST /sessions). */
  login(userId?: string, device?: { userAgent?: string; ip?: string }): Promise<Pair>;
  /**
   * Publishes an event on the bus as another service would. `data` is loosely typed: the
   * contracts type role and tier fields as `never` (a union built from a mapped array), and the
   * consumer checks every event against its schema anyway.
   */
  publish<C extends EventContract>(
    contract: C,
    subject: string,
    data: EventData<C> | Record<string, unknown>,
  ): Promise<void>;
  /** The same, with the event's `time` set (when its producer committed). */
  publishAt<C extends EventContract>(
    contract: C,
    subject: string,
    data: EventData<C> | Record<string, unknown>,
    time: Date,
  ): Promise<void>;
  close(): Promise<void>;
}

export interface Pair {
  userId: string;
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  expiresIn: number;
  tokenType: string;
}

export async function migrateToken(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'token', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

export async function startToken(
  options: Pick<BuildAppDeps, 'retiredKeyWindowMs' | 'keyCacheMs' | 'refreshGraceMs' | 'onRoute'> = {},
): Promise<TokenFixture> {
  const db = await testDatabase();
  const bus = await testDatabase();
  let publisher: Transport | undefined;
  try {
    await migrateToken(db.pool);
    const app = await buildApp({
      ...options,
      transport: createPostgresTransport({ connectionString: bus.url }),
      config: {
        TOKEN_ISSUER: 'shopnow-token',
        TOKEN_AUDIENCE: 'shopnow',
        SERVICE_CLIENTS: parseServiceClients(SERVICE_CLIENTS),
        LOG_LEVEL: 'silent',
        BODY_LIMIT_BYTES: 1_048_576,
      },
      db: db.pool,
    });
    await app.ready();
    const serviceAuth = async (name: keyof typeof CLIENT_SECRETS) => {
      const res = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: {
          authorization: `Basic ${Buffer.from(`${name}:${CLIENT_SECRETS[name]}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'grant_type=client_credentials',
      });
      assert.equal(res.statusCode, 200, res.body);
      return { authorization: `Bearer ${res.json().access_token}` };
    };
    const publishAt: TokenFixture['publishAt'] = async (contract, subject, data, time) => {
      if (publisher === undefined) {
        publisher = createPostgresTransport({ connectionString: bus.url });
        await publisher.start();
      }
      const envelope = {
        specversion: '1.0',
        id: randomUUID(),
        type: contract.type,
        source: 'test',
        time: time.toISOString(),
        subject,
        datacontenttype: 'application/json',
        data,
      };
      await publisher.publish([
        { id: envelope.id, type: envelope.type, subject, body: JSON.stringify(envelope) },
      ]);
    };
    return {
      app,
      db,
      pool: db.pool,
      bus,
      serviceAuth,
      async login(userId = randomUUID(), device) {
        const res = await app.inject({
          method: 'POST',
          url: '/sessions',
          headers: await serviceAuth('auth'),
          payload: { userId, ...(device ? { device } : {}) },
        });
        assert.equal(res.statusCode, 201, res.body);
        return { userId, ...res.json() };
      },
      publish: (contract, subject, data) => publishAt(contract, subject, data, new Date()),
      publishAt,
      close: async () => {
        await publisher?.close();
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

export function refresh(app: App, refreshToken: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/sessions/refresh', payload: { refreshToken } });
}

/** Every service answers errors alike, so the assertion lives once in the testkit. */
export { assertProblem } from '@shopnow/testkit';

export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting until ${what}`);
}

export async function outboxEvents(
  pool: pg.Pool,
  subject: string,
): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  const { rows } = await pool.query('select body from outbox where subject = $1 order by seq', [subject]);
  return rows.map((row) => {
    const envelope = typeof row.body === 'string' ? JSON.parse(row.body) : row.body;
    return { type: envelope.type, data: envelope.data };
  });
}
