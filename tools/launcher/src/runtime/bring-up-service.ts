import { join } from 'node:path';
import { instanceId, type ServiceDefinition, servicePort } from '../catalog.ts';
import { LauncherError } from '../errors.ts';
import type { Secrets } from '../home/secrets.ts';
import { provisionServiceDatabase } from '../postgres/provision.ts';
import type { InstanceRegistry } from '../registry/registry.ts';
import type { LauncherSettings } from '../settings.ts';
import type { BackoffPolicy } from '../supervisor/backoff.ts';
import { readLogTail } from '../system/log-file.ts';
import { formatDuration, type Progress } from '../ui/progress.ts';
import { lastError, runAdminTask } from './admin-task.ts';
import type { EventsEnv } from './events.ts';
import { connectHost, serviceEnv } from './service-env.ts';
import { InstanceFailedError, ServiceInstance } from './service-instance.ts';
import { StartupInterrupted, type Teardown } from './teardown.ts';

export interface ServiceStartContext {
  settings: LauncherSettings;
  secrets: Secrets;
  /** Base environment of the service's processes. */
  env: NodeJS.ProcessEnv;
  nodePath: string;
  postgresUrl: string;
  /** EVENTS_TRANSPORT and its URL, the same for every process and admin command. */
  events: EventsEnv;
  registryUrl: string;
  registry: InstanceRegistry;
  progress: Progress;
  teardown: Teardown;
  readyTimeoutMs: number;
  graceMs: number;
  backoff: BackoffPolicy | undefined;
  /** Each instance, before it starts (to watch it and list it). */
  onInstance: (instance: ServiceInstance) => void;
  /**
   * After the service's setup commands, with a runner for more of its admin commands (not
   * awaited; with migrateOnStart each of them migrates first, beside the starting service).
   */
  afterSetup?: (service: ServiceDefinition, admin: AdminRunner) => void;
  /** Base URL of a service's first instance (for ServiceDefinition.wiredEnv). */
  urlOf: (service: string) => string;
  /** Resolves once the named service's instances are all ready (see ServiceDefinition.startAfter). */
  whenUp?: (name: string) => Promise<void>;
  /** Told when this service's setup commands are done (or it has none). */
  setUp?: (name: string) => void;
  /**
   * Resolves once every service's setup is done: no instance starts before, so the consumer groups
   * each service's migrate declares exist before any service publishes an event.
   */
  whenAllSetUp?: () => Promise<void>;
}

const TOKEN_SERVICE = 'token';

/** Client id → secret of every service, for the token service's client-credentials grant. */
function serviceClients(secrets: Secrets): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets.services).map(([name, s]) => [name, s.clientSecret]));
}

/** Runs one of the service's admin commands with the service's own config (e.g. the demo seed). */
export type AdminRunner = (args: string[], label: string) => Promise<void>;

/**
 * One service, in order: its database and role → `admin.ts migrate` → `admin.ts
 * seed` (same code and config as the service, event transport included) → every
 * other service's setup done too → its replicas, each waited for until
 * /health/ready answers and it has registered.
 */
export async function bringUpService(
  ctx: ServiceStartContext,
  service: ServiceDefinition,
  replicas: number,
): Promise<void> {
  const { settings, progress, teardown } = ctx;
  let databaseUrl: string | undefined;
  if (service.database) {
    const started = Date.now();
    const password = ctx.secrets.services[service.name]!.password;
    const name = service.databaseName ?? service.name;
    databaseUrl = (await provisionServiceDatabase(ctx.postgresUrl, { name, password })).url;
    progress.done(service.name, `database "${name}" with its own role`, started);
    teardown.checkpoint();
  }
  const host = service.edge ? settings.gatewayHost : undefined;
  const envFor = (id: string, port: number) =>
    serviceEnv(
      { ...service.env, ...ctx.env, ...service.wiredEnv?.({ secrets: ctx.secrets, urlOf: ctx.urlOf }) },
      {
        instanceId: id,
        port,
        ...(host ? { host } : {}),
        registryUrl: ctx.registryUrl,
        events: ctx.events,
        ...(ctx.secrets.services[service.name]
          ? { clientSecret: ctx.secrets.services[service.name]!.clientSecret }
          : {}),
        ...(service.name === TOKEN_SERVICE ? { serviceClients: serviceClients(ctx.secrets) } : {}),
        ...(databaseUrl ? { databaseUrl } : {}),
      },
    );
  const envOf = (id: string, port: number): NodeJS.ProcessEnv =>
    service.migrateOnStart ? { ...envFor(id, port), MIGRATE_ON_START: 'true' } : envFor(id, port);

  let runAdmin: AdminRunner | undefined;
  if (service.admin) {
    const abort = new AbortController();
    teardown.adopt({ name: `${service.name} admin`, run: async () => abort.abort(new StartupInterrupted()) });
    const script = join(settings.repoRoot, service.admin);
    runAdmin = (args, label) =>
      runAdminTask({
        label,
        command: ctx.nodePath,
        args: [script, ...args],
        // With MIGRATE_ON_START an admin command migrates first, so it may run before the service is up.
        env: envOf(`${service.name}-admin`, servicePort(settings, service, 0)),
        cwd: settings.repoRoot,
        logFile: join(settings.paths.logs, `${service.name}-admin.log`),
        signal: abort.signal,
      });
    for (const command of service.setup ?? ['migrate', 'seed']) {
      const started = Date.now();
      await runAdmin([command], `${service.name} ${command}`);
      progress.done(service.name, `admin ${command}`, started);
      teardown.checkpoint();
    }
    ctx.afterSetup?.(service, runAdmin);
  }
  ctx.setUp?.(service.name);
  await ctx.whenAllSetUp?.();
  teardown.checkpoint();

  for (const name of service.startAfter ?? []) {
    await ctx.whenUp?.(name);
    teardown.checkpoint();
  }
  const instances = Array.from({ length: replicas }, (_, i) => {
    const id = instanceId(service, i);
    const port = servicePort(settings, service, i);
    return new ServiceInstance({
      service,
      id,
      port,
      ...(host ? { host: connectHost(host) } : {}),
      readyTimeoutMs: ctx.readyTimeoutMs,
      ...(ctx.backoff ? { backoff: ctx.backoff } : {}),
      spec: {
        name: id,
        command: ctx.nodePath,
        args: [...service.preload.flatMap((m) => ['--import', m]), join(settings.repoRoot, service.main)],
        env: envOf(id, port),
        cwd: settings.repoRoot,
        logFile: join(settings.paths.logs, `${id}.log`),
      },
    });
  });
  teardown.adopt(
    {
      name: service.name,
      run: () => Promise.all(instances.map((i) => i.stop(ctx.graceMs))),
      doneText: `stopped ${replicas} instance${replicas > 1 ? 's' : ''}`,
    },
    // The edge goes first whenever it started, so no request arrives for a stopped service.
    service.edge ? { first: true } : undefined,
  );
  for (const instance of instances) ctx.onInstance(instance);
  await Promise.all(instances.map((instance) => startAndAwait(ctx, instance)));
}

async function startAndAwait(ctx: ServiceStartContext, instance: ServiceInstance): Promise<void> {
  const { progress } = ctx;
  const started = Date.now();
  const ready = instance.whenReady();
  instance.start();
  progress.step(instance.id, `starting on ${instance.url} (pid ${instance.pid})`);
  const ticker = setInterval(() => {
    progress.step(
      instance.id,
      `waiting for ${instance.url}/health/ready (${formatDuration(Date.now() - started)})`,
    );
  }, 5000);
  try {
    await ready;
  } catch (err) {
    throw await explainFailure(err);
  } finally {
    clearInterval(ticker);
  }
  progress.done(instance.id, `ready on ${instance.url} (pid ${instance.pid})`, started);

  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (ctx.registry.instances(instance.service.name).some((r) => r.id === instance.id)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  progress.warn(instance.id, `is ready but has not registered at ${ctx.registryUrl} (DISCOVERY=registry)`);
}

/** An instance that died before ready fails startup with its own last error line. */
async function explainFailure(err: unknown): Promise<unknown> {
  if (!(err instanceof InstanceFailedError)) return err;
  const logFile = err.instance.process.spec.logFile;
  const reason = lastError(await readLogTail(logFile, 40));
  return new LauncherError(`${err.message}${reason ? `: ${reason}` : ''}`, `see ${logFile}`);
}
