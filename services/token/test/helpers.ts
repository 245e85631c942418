// Shared setup for the token service's integration tests: a fresh database on the real (embedded)
// Postgres, migrated like production, a second one as the event bus, and the real app on top.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { App } from '@shopnow/chassis';
import { migrate } from '@shopnow/chassis';
import type { EventContract, EventData } from '@shopnow/contracts';
import { createPostgresTransport, EVENTS_MIGRATIONS, type Transport } from '@shopnow/events';
import { outboxEvents as envelopes, publishOnBus, type TestDatabase, withTestbed } from '@shopnow/testkit';
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
  return withTestbed({ migrate: migrateToken }, async (bed) => {
    const app = await buildApp({
      ...options,
      transport: createPostgresTransport({ connectionString: bed.bus.url }),
      config: {
        TOKEN_ISSUER: 'shopnow-token',
        TOKEN_AUDIENCE: 'shopnow',
        SERVICE_CLIENTS: parseServiceClients(SERVICE_CLIENTS),
        LOG_LEVEL: 'silent',
        BODY_LIMIT_BYTES: 1_048_576,
      },
      db: bed.db.pool,
    });
    bed.onClose(() => app.close());
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
    let publisher: Transport | undefined;
    const publishAt: TokenFixture['publishAt'] = async (contract, subject, data, time) => {
      if (publisher === undefined) {
        const started = createPostgresTransport({ connectionString: bed.bus.url });
        bed.onClose(() => started.close());
        await started.start();
        publisher = started;
      }
      await publishOnBus(publisher, contract, { source: 'test', subject, data, time });
    };
    return {
      app,
      db: bed.db,
      pool: bed.db.pool,
      bus: bed.bus,
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
      close: bed.close,
    };
  });
}

export function refresh(app: App, refreshToken: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/sessions/refresh', payload: { refreshToken } });
}

/** What every service's tests share (errors, polling, tokens) lives once in the testkit. */
export { assertProblem, bearer, eventually } from '@shopnow/testkit';

export async function outboxEvents(
  pool: pg.Pool,
  subject: string,
): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  return (await envelopes(pool, { subject })).map(({ type, data }) => ({ type, data }));
}
