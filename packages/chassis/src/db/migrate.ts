import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Logger } from 'pino';
import { type MigrationFile, readMigrationFiles } from './migration-files.ts';

export interface MigrateOptions {
  /** The service's namespace in schema_migrations. */
  service: string;
  /** The service's migrations directory. */
  dir: string;
  /** Migrations of shared packages the service uses (e.g. the events tables), applied before its own. */
  packages?: readonly MigrationSet[];
  logger?: Pick<Logger, 'info'>;
}

/** A shared package's migrations: its own namespace in schema_migrations, its own numbering. */
export interface MigrationSet {
  namespace: string;
  dir: string;
}

export interface MigrateResult {
  /** `<namespace>/<file name>` of each migration applied by this call, in order. */
  applied: string[];
}

/** The chassis's own tables (idempotency keys, ...) live in every service database. */
export const CHASSIS_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const CHASSIS_NAMESPACE = 'chassis';

// One fixed key: advisory locks are scoped to the current database, and each service has its own.
const MIGRATION_LOCK_KEY = 7_391_004_211;

const CREATE_TABLE = `
  create table if not exists schema_migrations (
    namespace  text        not null,
    version    integer     not null,
    name       text        not null,
    checksum   text        not null,
    applied_at timestamptz not null default now(),
    primary key (namespace, version)
  )`;

/**
 * Applies pending migrations: the chassis's, then the shared packages', then the service's. Replicas starting
 * together serialise on an advisory lock, so each file runs exactly once; each file runs
 * in its own transaction together with its schema_migrations row, so a failure leaves
 * the database at the previous version.
 */
export async function migrate(pool: pg.Pool, options: MigrateOptions): Promise<MigrateResult> {
  const sets: MigrationSet[] = [
    { namespace: CHASSIS_NAMESPACE, dir: CHASSIS_MIGRATIONS_DIR },
    ...(options.packages ?? []),
    { namespace: options.service, dir: options.dir },
  ];
  const namespaces = new Set(sets.map((set) => set.namespace));
  if (namespaces.size !== sets.length)
    throw new Error(`migrate: namespaces must be distinct (${sets.map((set) => set.namespace).join(', ')})`);
  const files = [];
  for (const set of sets) files.push(...(await readMigrationFiles(set.dir, set.namespace)));

  const client = await pool.connect();
  let healthy = true;
  try {
    // Waiting for another replica, or building an index, may outlast the pool's statement timeout.
    await client.query('set statement_timeout = 0');
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const applied = await appliedChecksums(client);
      const done: string[] = [];
      for (const file of files) {
        const key = `${file.namespace}/${file.version}`;
        const checksum = applied.get(key);
        if (checksum === undefined) {
          await applyOne(client, file);
          done.push(`${file.namespace}/${basename(file.file)}`);
          options.logger?.info(
            { namespace: file.namespace, version: file.version, name: file.name },
            'migration applied',
          );
        } else if (checksum !== file.checksum) {
          throw new Error(`migrate: ${file.file} changed after it was applied; add a new migration instead`);
        }
      }
      return { applied: done };
    } finally {
      // If unlocking fails the session is destroyed below, which releases the lock too.
      await client
        .query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
        .catch(() => (healthy = false));
    }
  } catch (err) {
    healthy = false;
    throw err;
  } finally {
    if (healthy) await client.query('reset statement_timeout').catch(() => (healthy = false));
    // A client in an unknown state is destroyed, never handed back to the pool.
    client.release(healthy ? undefined : true);
  }
}

async function appliedChecksums(client: pg.PoolClient): Promise<Map<string, string>> {
  const { rows } = await client.query<{ namespace: string; version: number; checksum: string }>(
    'select namespace, version, checksum from schema_migrations',
  );
  return new Map(rows.map((row) => [`${row.namespace}/${row.version}`, row.checksum]));
}

async function applyOne(client: pg.PoolClient, file: MigrationFile): Promise<void> {
  await client.query('begin');
  try {
    await client.query(file.sql);
    await client.query(
      'insert into schema_migrations (namespace, version, name, checksum) values ($1, $2, $3, $4)',
      [file.namespace, file.version, file.name, file.checksum],
    );
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw new Error(`migrate: ${file.file} failed: ${(err as Error).message}`, { cause: err });
  }
}
