import { hostname } from 'node:os';
import type { ValidatorSpec } from 'envalid';
import type pg from 'pg';
import type { App } from './app.ts';
import { baseConfigSpec, type CleanedEnv, ConfigError, exitOnConfigError, loadConfig } from './config.ts';
import { type MigrationSet, migrate } from './db/migrate.ts';
import { createPool } from './db/pool.ts';
import { createDiscovery } from './discovery/create-discovery.ts';
import type { Discovery } from './discovery/discovery.ts';
import { registerInstance } from './discovery/register-instance.ts';
import { createLogger, type Logger } from './logging.ts';
import { serve } from './serve.ts';
import { shutdownTracing } from './tracing/state.ts';

/** The merged config type: the service's spec overrides the base entries it redeclares. */
export type ServiceConfig<S> = CleanedEnv<Omit<typeof baseConfigSpec, keyof S> & S>;

export interface ServiceDeps<C> {
  config: C;
  /** Present when DATABASE_URL is set (services with a database declare it required). */
  db: pg.Pool | undefined;
  discovery: Discovery;
  /** The process logger; pass it to createApp so startup and request lines share one stream. */
  logger: Logger;
  /** `INSTANCE_ID`, or `<service>-<hostname>-<pid>`. */
  instanceId: string;
}

export interface RunServiceOptions<S> {
  service: string;
  version: string;
  /** The service's own variables (envalid specs); may redeclare base ones, e.g. DATABASE_URL required. */
  configSpec: S;
  build: (deps: ServiceDeps<ServiceConfig<S>>) => Promise<App> | App;
  /** The service's schema (the same as its admin.ts migrates), applied at start when MIGRATE_ON_START. */
  migrations?: MigrationSpec;
}

/** A service's migrations: its own folder, after shared packages' (e.g. the events tables). */
export interface MigrationSpec {
  dir: string;
  packages?: readonly MigrationSet[];
}

/** How long a registry lease lasts without a heartbeat (renewed every third of it). */
const REGISTRY_TTL_MS = 9000;

/**
 * Everything a service's main.ts does, so main.ts is only wiring: validate config (one line
 * and exit 1 if wrong) → logger → pool → discovery → build the app → serve with graceful
 * shutdown, registering in the launcher's registry when DISCOVERY=registry.
 */
export async function runService<S extends Record<string, ValidatorSpec<unknown>>>(
  options: RunServiceOptions<S>,
): Promise<void> {
  const { service, version } = options;
  let config: ServiceConfig<S>;
  try {
    config = loadConfig({ ...baseConfigSpec, ...options.configSpec }) as unknown as ServiceConfig<S>;
  } catch (err) {
    exitOnConfigError(err);
  }
  const base = config as unknown as CleanedEnv<typeof baseConfigSpec>;
  const logger = createLogger({ service, version, level: base.LOG_LEVEL });
  exitOnCrash(logger);

  const instanceId = base.INSTANCE_ID ?? `${service}-${hostname()}-${process.pid}`;
  const advertiseUrl = base.ADVERTISE_URL ?? `http://127.0.0.1:${base.PORT}`;
  try {
    const db =
      base.DATABASE_URL === undefined
        ? undefined
        : createPool({
            connectionString: base.DATABASE_URL,
            max: base.DATABASE_POOL_MAX,
            applicationName: instanceId,
            logger,
          });
    if (base.MIGRATE_ON_START) {
      if (db === undefined || options.migrations === undefined) {
        throw new ConfigError(
          `config: MIGRATE_ON_START is set but ${service} has ${db ? 'no migrations' : 'no DATABASE_URL'}`,
        );
      }
      const { applied } = await migrate(db, { service, ...options.migrations, logger });
      logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
    }
    const discovery = createDiscovery(base);
    const app = await options.build({ config, db, discovery, logger, instanceId });
    const registryUrl = base.REGISTRY_URL;
    await serve(app, {
      host: base.HOST,
      port: base.PORT,
      shutdownTimeoutMs: base.SHUTDOWN_TIMEOUT_MS,
      // Pools after the drain (in-flight requests still use them); spans flushed last.
      onClose: [() => discovery.close(), async () => db?.end(), () => shutdownTracing()],
      ...(base.DISCOVERY === 'registry' && registryUrl !== undefined
        ? {
            registration: () =>
              registerInstance({
                registryUrl,
                service,
                instanceId,
                url: advertiseUrl,
                ttlMs: REGISTRY_TTL_MS,
                logger,
              }),
          }
        : {}),
    });
  } catch (err) {
    // A setting whose validity depends on another (a URL the chosen transport needs) is checked
    // while building; it is still a config error: one line, exit 1.
    if (err instanceof ConfigError) exitOnConfigError(err);
    logger.fatal({ err }, `${service} failed to start`);
    process.exit(1);
  }
}

/** An uncaught error leaves the process in an unknown state: log it as JSON, exit, be restarted. */
function exitOnCrash(logger: Logger): void {
  const crash = (err: unknown, origin: string) => {
    logger.fatal({ err, origin }, 'crashed');
    process.exit(1);
  };
  process.on('uncaughtException', (err) => crash(err, 'uncaughtException'));
  process.on('unhandledRejection', (err) => crash(err, 'unhandledRejection'));
}
