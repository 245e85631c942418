// Shared setup for the profile service's integration tests: a fresh database on the real
// (embedded) Postgres, migrated like production, the real app on top with real Ed25519 tokens
// (TestTokenIssuer), a postgres event bus on a second database, and the route table as the app
// registered it (Fastify's onRoute hook).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { App } from '@shopnow/chassis';
import { migrate } from '@shopnow/chassis';
import type { Role } from '@shopnow/contracts';
import { createPostgresTransport, EVENTS_MIGRATIONS, type Transport } from '@shopnow/events';
import { type TestTokenIssuer, withTestbed } from '@shopnow/testkit';
import type { HTTPMethods, RouteOptions } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface RegisteredRoute {
  method: HTTPMethods;
  url: string;
  /** The route's body schema (TypeBox), if it has one. */
  bodySchema: unknown;
}

export interface ProfileFixture {
  app: App;
  pool: pg.Pool;
  issuer: TestTokenIssuer;
  /** Every method + path the app registered, HEAD included. */
  routes: RegisteredRoute[];
  /** Another transport on the app's bus (to publish what auth would). */
  newTransport(): Transport;
  close(): Promise<void>;
}

export async function migrateProfile(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'profile', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

export async function startProfile(): Promise<ProfileFixture> {
  return withTestbed({ migrate: migrateProfile }, async (bed) => {
    const newTransport = () => createPostgresTransport({ connectionString: bed.bus.url });
    const routes: RegisteredRoute[] = [];
    const app = await buildApp({
      config: { ...bed.issuer.tokenConfig, LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: 65_536 },
      db: bed.db.pool,
      transport: newTransport(),
      identity: bed.issuer.identity('profile'),
      onRoute: (route: RouteOptions) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        for (const method of methods) routes.push({ method, url: route.url, bodySchema: route.schema?.body });
      },
    });
    bed.onClose(() => app.close());
    await app.ready();
    return { app, pool: bed.db.pool, issuer: bed.issuer, routes, newTransport, close: bed.close };
  });
}

/** Authorization headers for a user with `roles`. */
export async function asUser(f: ProfileFixture, userId: string, roles: Role[] = ['customer']) {
  return f.issuer.headersFor(userId, { roles });
}

export const validAddress = (overrides: Record<string, unknown> = {}) => ({
  label: 'Home',
  recipientName: 'Ada Lovelace',
  line1: '10 Downing Street',
  city: 'London',
  postalCode: 'SW1A 2AA',
  country: 'GB',
  phone: '+44 20 7946 0000',
  ...overrides,
});

/** Adds an address for `userId` as that user; returns the created body. */
export async function addAddress(
  f: ProfileFixture,
  userId: string,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, unknown> & { id: string }> {
  const res = await f.app.inject({
    method: 'POST',
    url: `/profiles/${userId}/addresses`,
    headers: await asUser(f, userId),
    payload: validAddress(overrides),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

/** What every service's tests share (errors, tokens) lives once in the testkit. */
export { assertProblem, bearer } from '@shopnow/testkit';

/** Everything the service stores, to prove a refused request changed nothing. */
export async function snapshot(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT (SELECT md5(coalesce(string_agg(p::text, '|' ORDER BY user_id), '')) FROM preferences p) AS preferences,
            (SELECT md5(coalesce(string_agg(a::text, '|' ORDER BY id), '')) FROM addresses a) AS addresses,
            (SELECT count(*) FROM preferences) AS preference_rows,
            (SELECT count(*) FROM addresses) AS address_rows,
            (SELECT count(*) FROM idempotency_keys) AS idempotency_keys`,
  );
  return JSON.stringify(rows[0]);
}

/** Fills `:userId` and `:addressId` of a registered path. */
export function pathFor(url: string, userId: string, addressId: string): string {
  return url.replace(':userId', userId).replace(':addressId', addressId);
}

/** The routes under /profiles, as registered. */
export function profileRoutes(f: ProfileFixture): RegisteredRoute[] {
  return f.routes.filter((route) => route.url.startsWith('/profiles/'));
}

export const isWrite = (method: string) => !['GET', 'HEAD'].includes(method);

/** A body the route accepts from its owner (writes only), so a refusal is about who asks. */
export function validBodyFor(route: RegisteredRoute): Record<string, unknown> | undefined {
  const key = `${route.method} ${route.url}`;
  const bodies: Record<string, Record<string, unknown> | undefined> = {
    'PUT /profiles/:userId/preferences': {
      marketingOptIn: true,
      channels: ['email'],
      locale: 'fr-FR',
      currency: 'GBP',
    },
    'PATCH /profiles/:userId/preferences': { locale: 'de-DE' },
    'POST /profiles/:userId/addresses': validAddress({ label: 'Another' }),
    'PATCH /profiles/:userId/addresses/:addressId': { city: 'Londinium' },
    'DELETE /profiles/:userId/addresses/:addressId': undefined,
    'POST /profiles/:userId/addresses/:addressId/default-shipping': undefined,
    'POST /profiles/:userId/addresses/:addressId/default-billing': undefined,
  };
  assert.ok(
    !isWrite(route.method) || Object.hasOwn(bodies, key),
    `test/helpers.ts knows no valid body for the new route ${key}: add one`,
  );
  return bodies[key];
}
