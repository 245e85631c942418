import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type RunningPostgres, startPostgres } from './start-postgres.ts';

/** Env var naming a shared Postgres (superuser URL) for all test processes; set by `npm test`. */
export const TEST_PG_URL_ENV = 'SHOPNOW_TEST_PG_URL';

export interface TestDatabase {
  /** Superuser URL of the fresh database. */
  url: string;
  name: string;
  /** A small pool on the fresh database, ended by drop(). */
  pool: pg.Pool;
  /** Ends the pool and drops the database (even if clients are still connected). */
  drop(): Promise<void>;
}

let privateServer: Promise<RunningPostgres> | undefined;

/**
 * The server tests run on: the shared one named by SHOPNOW_TEST_PG_URL, else one private
 * embedded server per test process (started on first use; it stops when the process exits).
 */
export async function testServerUrl(): Promise<string> {
  const shared = process.env[TEST_PG_URL_ENV];
  if (shared) return shared;
  privateServer ??= startPostgres();
  return (await privateServer).url;
}

/** A fresh, empty database `t_<random>` so tests never see each other's rows. */
export async function testDatabase(): Promise<TestDatabase> {
  const serverUrl = await testServerUrl();
  const name = `t_${randomBytes(8).toString('hex')}`;
  await asSuperuser(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));

  const url = withDatabase(serverUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // A dropped database or a restarted server kills idle clients; that must not crash the test process.
  pool.on('error', () => {});

  let dropping: Promise<void> | undefined;
  const drop = () => {
    dropping ??= (async () => {
      await pool.end();
      await asSuperuser(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    })();
    return dropping;
  };
  return { url, name, pool, drop };
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function asSuperuser<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
