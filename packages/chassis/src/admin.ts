import type pg from 'pg';
import { type Logger, pino } from 'pino';
import { ConfigError, loadConfig, postgresUrl } from './config.ts';
import { migrate } from './db/migrate.ts';
import { createPool } from './db/pool.ts';

export interface AdminOptions {
  service: string;
  migrationsDir: string;
  /** Loads demo/reference data; expected to do nothing when its data is already there. */
  seed?: (pool: pg.Pool, logger: Logger) => Promise<void>;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
}

const USAGE =
  'usage: admin.ts <migrate|seed>\n  migrate  apply pending migrations\n  seed     apply pending migrations, then load seed data';

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
  if (command !== 'migrate' && command !== 'seed') {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  if (command === 'seed' && !options.seed) {
    process.stderr.write(`admin: ${options.service} has no seed data\n`);
    return 2;
  }
  let databaseUrl: string;
  try {
    databaseUrl = loadConfig({ DATABASE_URL: postgresUrl() }, options.env ?? process.env).DATABASE_URL;
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
    const { applied } = await migrate(pool, { service: options.service, dir: options.migrationsDir, logger });
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
    if (command === 'seed') await options.seed?.(pool, logger);
    return 0;
  } catch (err) {
    logger.error({ err }, `${command} failed`);
    return 1;
  } finally {
    await pool.end();
  }
}
