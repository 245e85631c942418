// Shared setup for the product service's integration tests: a fresh database on the real
// (embedded) Postgres, migrated like production, optionally seeded, and the real app on top,
// verifying real access tokens from a test issuer (no token service needed).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { App } from '@shopnow/chassis';
import { type IdentityKit, migrate } from '@shopnow/chassis';
import type { Role } from '@shopnow/contracts';
import { createPostgresTransport, EVENTS_MIGRATIONS, type Transport } from '@shopnow/events';
import { type TestDatabase, TestTokenIssuer, withTestbed } from '@shopnow/testkit';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import { seedCatalog } from '../src/seed/seed.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Signs the access tokens every test app trusts; `issuer.revokeSession(sid)` revokes one. */
export const issuer = await TestTokenIssuer.create();

/** What buildApp gets in tests: verification against `issuer`'s keys and revocation list. */
export function testIdentity(): IdentityKit {
  return issuer.identity('product');
}

/** An Authorization header for `userId` (a customer unless `roles` say otherwise). */
export async function userHeader(
  userId: string = randomUUID(),
  options: { roles?: Role[]; sessionId?: string } = {},
): Promise<{ authorization: string }> {
  return issuer.headersFor(userId, options);
}

/** An Authorization header for a fresh admin. */
export function adminHeader(): Promise<{ authorization: string }> {
  return userHeader(randomUUID(), { roles: ['admin'] });
}

/** One admin's header for the whole test file (tokens live 15 minutes, far longer than a run). */
export const ADMIN = await adminHeader();

/** The config buildApp reads in tests. */
export function testConfig(cacheTtlMs = 2000) {
  return {
    PRODUCT_CACHE_TTL_MS: cacheTtlMs,
    LOG_LEVEL: 'silent',
    BODY_LIMIT_BYTES: 1_048_576,
    ...issuer.tokenConfig,
  };
}

export interface ProductFixture {
  app: App;
  db: TestDatabase;
  pool: pg.Pool;
  /** The bus database the app's events go through (postgres transport). */
  bus: TestDatabase;
  /** Another transport on the same bus, e.g. for a second replica. */
  newTransport(): Transport;
  close(): Promise<void>;
}

/** Migrations as the admin command applies them: chassis, events, then product's own. */
export async function migrateProduct(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'product', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

export async function startProduct(
  options: { seed?: boolean; cacheTtlMs?: number } = {},
): Promise<ProductFixture> {
  return withTestbed({ migrate: migrateProduct, issuer }, async (bed) => {
    if (options.seed ?? true) await seedCatalog(bed.db.pool);
    const newTransport = () => createPostgresTransport({ connectionString: bed.bus.url });
    const app = await buildApp({
      transport: newTransport(),
      config: testConfig(options.cacheTtlMs),
      db: bed.db.pool,
      identity: testIdentity(),
    });
    bed.onClose(() => app.close());
    await app.ready();
    return { app, db: bed.db, pool: bed.db.pool, bus: bed.bus, newTransport, close: bed.close };
  });
}

/** What every service's tests share (errors, tokens) lives once in the testkit. */
export { assertProblem, bearer } from '@shopnow/testkit';

/** Everything the catalog holds, to prove a rejected request changed nothing. */
export async function snapshot(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM products) AS products,
            (SELECT count(*) FROM reviews) AS reviews,
            (SELECT count(*) FROM categories) AS categories,
            (SELECT md5(coalesce(string_agg(p::text, '|' ORDER BY id), '')) FROM products p) AS products_hash,
            (SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY id), '')) FROM reviews r) AS reviews_hash`,
  );
  return JSON.stringify(rows[0]);
}

export async function productIdBySku(pool: pg.Pool, sku: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM products WHERE sku = $1', [sku]);
  assert.ok(rows[0], `no product ${sku}`);
  return rows[0].id;
}
