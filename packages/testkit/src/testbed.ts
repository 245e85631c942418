// What every service's test fixture starts from: its own fresh database, migrated as the admin
// command migrates it; a second database for the event bus (the postgres transport, as `npm start`
// runs it); a token issuer whose tokens the service verifies; and one close() that undoes it all,
// newest first, also when the start fails halfway.
import type pg from 'pg';
import { eventually } from './eventually.ts';
import { type TestDatabase, testDatabase } from './test-database.ts';
import { TestTokenIssuer } from './token-issuer.ts';

/** A fresh database migrated by `migrate`; dropped again if the migration fails. */
export async function migratedDatabase(migrate: (pool: pg.Pool) => Promise<void>): Promise<TestDatabase> {
  const db = await testDatabase();
  try {
    await migrate(db.pool);
    return db;
  } catch (err) {
    await db.drop();
    throw err;
  }
}

export interface Testbed {
  /** The service's own database (migrated when `migrate` was given). */
  db: TestDatabase;
  /** The bus's database: give `bus.url` to createPostgresTransport. */
  bus: TestDatabase;
  issuer: TestTokenIssuer;
  /** Undoes something the fixture started (an app, a stand-in server) at close, before what came earlier. */
  onClose(close: () => Promise<void>): void;
  /** Resolves once the bus holds no job still to deliver: every delivery settled (pg-boss's job table). */
  busIdle(): Promise<void>;
  /** Runs every onClose (newest first; each even if one before failed), then drops both databases. */
  close(): Promise<void>;
}

export interface TestbedOptions {
  /** Migrates the service's database, as its admin command does. */
  migrate?: (pool: pg.Pool) => Promise<void>;
  /** An issuer the test file already holds (one admin token for the whole file); a new one otherwise. */
  issuer?: TestTokenIssuer;
}

/**
 * Builds a service fixture on a fresh testbed: `build` starts the app and what it needs, each with
 * bed.onClose. If `build` throws, everything made so far is closed and the error rethrown, so a
 * failed start leaves no database or server behind.
 */
export async function withTestbed<T>(
  options: TestbedOptions,
  build: (bed: Testbed) => Promise<T>,
): Promise<T> {
  const cleanups: Array<() => Promise<void>> = [];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const failures: unknown[] = [];
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((err) => failures.push(err));
      if (failures.length > 0) throw failures[0];
    })();
    return closing;
  };
  try {
    const db = options.migrate ? await migratedDatabase(options.migrate) : await testDatabase();
    cleanups.push(() => db.drop());
    const bus = await testDatabase();
    cleanups.push(() => bus.drop());
    const issuer = options.issuer ?? (await TestTokenIssuer.create());
    return await build({
      db,
      bus,
      issuer,
      onClose: (cleanup) => {
        cleanups.push(cleanup);
      },
      busIdle: () =>
        eventually('the bus has nothing left to deliver', async () => {
          const { rows } = await bus.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active')`,
          );
          return rows[0]?.n === 0;
        }),
      close,
    });
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
