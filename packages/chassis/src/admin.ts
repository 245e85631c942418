import * as envalid from 'envalid';
import type pg from 'pg';
import { type Logger, pino } from 'pino';
import { ConfigError, loadConfig, postgresUrl } from './config.ts';
import { type MigrationSet, migrate } from './db/migrate.ts';
import { createPool } from './db/pool.ts';

export interface AdminOptions {
  service: string;
  migrationsDir: string;
  /** Shared packages' migrations (e.g. the events tables), applied before the service's. */
  migrationPackages?: readonly MigrationSet[];
  /**
   * Part of `migrate` (and `seed`), after the schema, idempotent like migrations: what must exist
   * before any instance of any service starts, e.g. the service's consumer groups on the event bus.
   */
  afterMigrate?: AdminStep;
  /** Loads demo/reference data; expected to do nothing when its data is already there. */
  seed?: (pool: pg.Pool, logger: Logger) => Promise<void>;
  /** More commands by name (e.g. `dead-letters`), each given the rest of argv and a pool. */
  commands?: Record<string, AdminCommand>;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** A step of the migrate command beyond the schema (AdminOptions.afterMigrate). */
export type AdminStep = (context: { logger: Logger; env: NodeJS.ProcessEnv }) => Promise<void>;

/** An extra admin command: resolves to the exit code. */
export type AdminCommand = (
  argv: string[],
  context: { pool: pg.Pool; logger: Logger; env: NodeJS.ProcessEnv },
) => Promise<number>;

const USAGE =
  "usage: admin.ts <migrate|seed>\n  migrate  apply pending migrations (and the service's other setup, e.g. its consumer groups)\n  seed     migrate, then load seed data";

/**
 * One-off admin commands (12-factor "admin processes"): the same code and config as the
 * service, run once by the launcher, a Kubernetes Job or a person. Resolves to the exit
 * code, also set on process.exitCode, so `await runAdmin(...)` is the whole admin.ts.
 */
export async function runAdmin(argv: string[], options: AdminOptions): Promise<number> {
  const code = await run(argv, options);
  process.exitCode = code;
  return code;
}

async function run(argv: string[], options: AdminOptions): Promise<number> {
  const [command] = argv;
  const extra = command === undefined ? undefined : options.commands?.[command];
  if (command !== 'migrate' && command !== 'seed' && extra === undefined) {
    const more = Object.keys(options.commands ?? {});
    process.stderr.write(`${USAGE}${more.length > 0 ? `\n  also: ${more.join(', ')}` : ''}\n`);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  if (command === 'seed' && !options.seed) {
    process.stderr.write(`admin: ${options.service} has no seed data\n`);
    return 2;
  }
  let databaseUrl: string;
  let migrateFirst: boolean;
  try {
    const config = loadConfig(
      { DATABASE_URL: postgresUrl(), MIGRATE_ON_START: envalid.bool({ default: false }) },
      options.env ?? process.env,
    );
    databaseUrl = config.DATABASE_URL;
    // As a service with MIGRATE_ON_START does: any command may be the first to touch the schema.
    migrateFirst = config.MIGRATE_ON_START;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }

  const logger = pino({ base: { service: options.service, command } });
  const pool = createPool({
    connectionString: databaseUrl,
    max: 2,
    applicationName: `${options.service}-admin`,
    logger,
  });
  try {
    if (extra === undefined || migrateFirst) {
      const { applied } = await migrate(pool, {
        service: options.service,
        dir: options.migrationsDir,
        packages: options.migrationPackages,
        logger,
      });
      logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
      // The migrate step's own: an extra command migrating first needs only the schema.
      if (extra === undefined) await options.afterMigrate?.({ logger, env: options.env ?? process.env });
    }
    if (extra !== undefined)
      return await extra(argv.slice(1), { pool, logger, env: options.env ?? process.env });
    if (command === 'seed') await options.seed?.(pool, logger);
    return 0;
  } catch (err) {
    logger.error({ err }, `${command} failed`);
    return 1;
  } finally {
    await pool.end();
  }
}
