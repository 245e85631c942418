import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVICES, type ServiceDefinition, servicePort } from '../catalog.ts';
import { LauncherError } from '../errors.ts';
import { type DemoAccount, loadOrCreateSecrets, type Secrets } from '../home/secrets.ts';
import { hardenCluster } from '../postgres/provision.ts';
import { isInitialised, type RunningPostgres } from '../postgres/server.ts';
import type { HealthCheckerOptions } from '../registry/health-checker.ts';
import { InstanceRegistry } from '../registry/registry.ts';
import type { LauncherSettings } from '../settings.ts';
import type { BackoffPolicy } from '../supervisor/backoff.ts';
import { assertPortsFree } from '../system/ports.ts';
import { createProgress, type Progress } from '../ui/progress.ts';
import { bringUpConsumerGroups } from './bring-up-consumer-groups.ts';
import { bringUpPostgres } from './bring-up-postgres.ts';
import { bringUpRegistry } from './bring-up-registry.ts';
import { type AdminRunner, bringUpService } from './bring-up-service.ts';
import { bringUpBus, type EventsEnv, eventsTransportFrom } from './events.ts';
import { watchInstance } from './instance-watch.ts';
import { takeOverHome } from './previous-run.ts';
import { planReplicas, portClaims } from './replica-plan.ts';
import { RunRecord } from './run-record.ts';
import { DemoSeed } from './seed-demo-accounts.ts';
import type { ServiceInstance } from './service-instance.ts';
import { measureMemory, type ProcessStatus, type StatusSnapshot, totals } from './status-snapshot.ts';
import { StartupInterrupted, Teardown } from './teardown.ts';

/** How long start() waits for the entry URL to answer before it says so and goes on. */
const ENTRY_WAIT_MS = 15_000;

export interface PlatformOptions {
  settings: LauncherSettings;
  catalog?: readonly ServiceDefinition[];
  /** Replicas per service name; 1 when absent. */
  replicas?: Record<string, number>;
  progress?: Progress;
  /** Base environment of every child process. */
  env?: NodeJS.ProcessEnv;
  /** The Node binary that runs services (default: the one running the launcher). */
  nodePath?: string;
  /** Per instance, at startup and after each restart. */
  readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace for services (default: the chassis's own bound, SHUTDOWN_TIMEOUT_MS + 11 s). */
  graceMs?: number;
  backoff?: BackoffPolicy;
  healthCheck?: HealthCheckerOptions;
  /** Something the platform cannot run without died (PostgreSQL). */
  onFatal?: (err: Error) => void;
}

/**
 * The embedded runtime: PostgreSQL (with the event bus database), the
 * registry, and every service's replicas. Everything that starts is stacked on a Teardown, so stop() —
 * callable at any time, also while start() runs — releases services first,
 * then the registry, PostgreSQL last, and the run's records after it.
 */
export class Platform {
  readonly registry: InstanceRegistry;
  readonly #opts: PlatformOptions;
  readonly #progress: Progress;
  readonly #catalog: readonly ServiceDefinition[];
  readonly #teardown: Teardown;
  readonly #instances: ServiceInstance[] = [];
  readonly #startedAt = new Date();
  #live = false;
  #postgres: RunningPostgres | undefined;
  #events: EventsEnv | undefined;
  #record: RunRecord | undefined;
  #secrets: Secrets | undefined;

  constructor(opts: PlatformOptions) {
    this.#opts = opts;
    this.#progress = opts.progress ?? createProgress();
    this.#catalog = opts.catalog ?? SERVICES;
    this.#teardown = new Teardown(this.#progress);
    this.registry = new InstanceRegistry({
      onEvent: (event) => {
        if (!this.#live) return;
        if (event.type === 'expired')
          this.#progress.warn(event.id, 'dropped from the registry: lease expired');
        if (event.type === 'unhealthy')
          this.#progress.warn(event.id, 'dropped from the registry: health check failed');
        if (event.type === 'healthy') this.#progress.done(event.id, 'healthy again, back in the registry');
      },
    });
  }

  get instances(): readonly ServiceInstance[] {
    return this.#instances;
  }

  /** The URL a user opens: the first service with an entry path (the gateway's product list). */
  get entryUrl(): string | undefined {
    for (const service of this.#catalog) {
      const first = this.#instances.find((i) => i.service === service);
      if (service.entryPath && first) return `${first.url}${service.entryPath}`;
    }
    return undefined;
  }

  /** The demo accounts, once seeded (their passwords are printed by `npm start`). */
  get demoAccounts(): readonly DemoAccount[] {
    return this.#secrets?.demo?.seeded ? this.#secrets.demo.accounts : [];
  }

  /** The event transport the services were given (known once start() has provisioned it). */
  get events(): EventsEnv | undefined {
    return this.#events;
  }

  get registryUrl(): string {
    return `http://127.0.0.1:${this.#opts.settings.launcherPort}`;
  }

  async start(): Promise<void> {
    const { settings } = this.#opts;
    const progress = this.#progress;
    const teardown = this.#teardown;
    const env: NodeJS.ProcessEnv = {
      ...(this.#opts.env ?? process.env),
      NODE_COMPILE_CACHE: settings.compileCache,
    };
    const replicas = planReplicas(this.#catalog, this.#opts.replicas);
    const transport = eventsTransportFrom(env);

    await mkdir(settings.paths.logs, { recursive: true });
    await takeOverHome(settings, progress);
    await assertPortsFree(portClaims(settings, this.#catalog, replicas));
    // Every process gets a client secret at the token service (the gateway has no database but calls it).
    const names = this.#catalog.map((s) => s.name);
    const { secrets, created } = await loadOrCreateSecrets(settings.paths.secrets, names);
    if (created && isInitialised(settings.paths.pgData)) {
      throw new LauncherError(
        `${settings.paths.secrets} is missing but ${settings.paths.pgData} holds data made with it`,
        'restore secrets.json from a backup, or delete SHOPNOW_HOME to start from scratch (loses local data)',
      );
    }

    this.#record = new RunRecord(settings, {
      pid: process.pid,
      port: settings.launcherPort,
      pgPort: settings.pgPort,
      startedAt: this.#startedAt.toISOString(),
      children: [],
    });
    teardown.adopt(this.#record.open());
    process.on('exit', this.#signalChildrenNow);
    teardown.adopt({ name: 'exit hook', run: async () => process.off('exit', this.#signalChildrenNow) });

    const postgres = await bringUpPostgres({
      settings,
      secrets,
      env,
      progress,
      teardown,
      onUnexpectedExit: (code, signal) => {
        if (teardown.begun) return;
        const how = signal ? `signal ${signal}` : `exit ${code}`;
        this.#opts.onFatal?.(
          new LauncherError(
            `PostgreSQL exited unexpectedly (${how}); stopping everything`,
            `see ${join(settings.paths.logs, 'postgres.log')}`,
          ),
        );
      },
    });
    this.#postgres = postgres;
    this.#record.update({ postgresPid: postgres.pid });
    await bringUpRegistry({
      settings,
      registry: this.registry,
      status: () => this.status(),
      healthCheck: this.#opts.healthCheck,
      progress,
      teardown,
    });
    await hardenCluster(postgres.url());
    const events = await bringUpBus({ postgresUrl: postgres.url(), secrets, transport, progress, teardown });
    this.#events = events;

    // Each service's readiness, for the ones that start after it (ServiceDefinition.startAfter).
    const up = new Map(
      this.#catalog.map((service) => {
        const ready = Promise.withResolvers<void>();
        ready.promise.catch(() => {}); // the failure is reported by the service's own bring-up
        return [service.name, ready] as const;
      }),
    );
    const whenUp = (name: string) => up.get(name)?.promise ?? Promise.resolve();
    const nodePath = this.#opts.nodePath ?? process.execPath;
    const groupsDeclared = bringUpConsumerGroups({
      settings,
      catalog: this.#catalog,
      env,
      events,
      nodePath,
      progress,
      teardown,
    });
    // Each service's setup (migrations, seed) and every consumer group on the bus: no instance
    // starts before all are done.
    const setUp = new Map(this.#catalog.map((service) => [service.name, Promise.withResolvers<void>()]));
    const allSetUp = Promise.all([groupsDeclared, ...[...setUp.values()].map((done) => done.promise)]).then(
      () => {},
    );
    allSetUp.catch(() => {}); // reported below (the groups) or by the service's own bring-up
    const demo = new DemoSeed({ settings, secrets, progress });
    const context = {
      settings,
      secrets,
      env,
      nodePath,
      postgresUrl: postgres.url(),
      events,
      registryUrl: this.registryUrl,
      registry: this.registry,
      progress,
      teardown,
      readyTimeoutMs: this.#opts.readyTimeoutMs ?? 45_000,
      // The chassis bounds its own shutdown at SHUTDOWN_TIMEOUT_MS + 10 s; SIGKILL only past that.
      graceMs: this.#opts.graceMs ?? (Number(env.SHUTDOWN_TIMEOUT_MS) || 10_000) + 11_000,
      backoff: this.#opts.backoff,
      whenUp,
      setUp: (name: string) => setUp.get(name)?.resolve(),
      whenAllSetUp: () => allSetUp,
      afterSetup: (service: ServiceDefinition, admin: AdminRunner) =>
        demo.begin(service.name, admin, groupsDeclared),
      urlOf: (name: string) => {
        const service = this.#catalog.find((s) => s.name === name);
        if (!service) throw new LauncherError(`the catalog has no service "${name}"`);
        return `http://127.0.0.1:${servicePort(settings, service, 0)}`;
      },
      onInstance: (instance: ServiceInstance) => {
        watchInstance(instance, { registry: this.registry, progress, isLive: () => this.#live });
        instance.process.on('spawn', () => this.#recordChildren());
        this.#instances.push(instance);
      },
    };
    const bringingUp = this.#catalog.map(async (service) => {
      const ready = up.get(service.name)!;
      try {
        await bringUpService(context, service, replicas[service.name]!);
        ready.resolve();
      } catch (err) {
        ready.reject(err);
        // Settled already when the setup was done; otherwise the others stop waiting for it.
        setUp.get(service.name)?.reject(err);
        throw err;
      }
    });
    await Promise.all([groupsDeclared, ...bringingUp]);
    await demo.finish();
    await this.#awaitEntry();
    this.#secrets = secrets;
    this.#live = true;
  }

  /**
   * The entry URL answers once the edge has found the service behind it in the registry; only
   * then is "ready" printed, so the first page a user opens is not a 503.
   */
  async #awaitEntry(): Promise<void> {
    const entry = this.entryUrl;
    if (!entry) return;
    const started = Date.now();
    let last = 'no answer';
    while (Date.now() - started < ENTRY_WAIT_MS) {
      this.#teardown.checkpoint();
      try {
        const res = await fetch(entry, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.ok) {
          this.#progress.done('launcher', `${entry} answers`, started);
          return;
        }
        last = `status ${res.status}`;
      } catch (err) {
        last = (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    this.#progress.warn('launcher', `${entry} does not answer yet (${last})`);
  }

  /** Idempotent; safe during start(). Services first, PostgreSQL last. */
  stop(): Promise<void> {
    this.#live = false;
    return this.#teardown.run();
  }

  async status(): Promise<StatusSnapshot> {
    const { settings } = this.#opts;
    const rows: ProcessStatus[] = [
      {
        service: 'launcher',
        instance: 'launcher',
        pid: process.pid,
        port: settings.launcherPort,
        url: `${this.registryUrl}/status`,
        status: 'running',
        ...(await measureMemory(process.pid)),
      },
    ];
    if (this.#postgres) {
      rows.push({
        service: 'postgres',
        instance: 'postgres',
        pid: this.#postgres.pid,
        port: this.#postgres.port,
        status: 'running',
        ...(await measureMemory(this.#postgres.pid, true)),
      });
    }
    const registered = new Map(this.registry.entries().map((e) => [`${e.service}/${e.id}`, e]));
    for (const instance of this.#instances) {
      const entry = registered.get(`${instance.service.name}/${instance.id}`);
      const status = instance.status === 'ready' && entry && !entry.healthy ? 'unhealthy' : instance.status;
      rows.push({
        service: instance.service.name,
        instance: instance.id,
        ...(instance.pid !== undefined ? { pid: instance.pid } : {}),
        port: instance.port,
        url: instance.url,
        status,
        restarts: instance.process.restarts,
        ...(await measureMemory(instance.pid)),
      });
    }
    const entryUrl = this.entryUrl;
    return {
      home: settings.home,
      startedAt: this.#startedAt.toISOString(),
      ...(entryUrl ? { entryUrl } : {}),
      processes: rows,
      ...totals(rows),
    };
  }

  #recordChildren(): void {
    this.#record?.update({
      children: this.#instances
        .filter((i) => i.pid !== undefined)
        .map((i) => ({ name: i.id, pid: i.pid!, match: i.service.main })),
    });
  }

  /** The launcher is dying without stop(): at least tell every service to go. */
  readonly #signalChildrenNow = (): void => {
    for (const instance of this.#instances) {
      if (instance.pid === undefined) continue;
      try {
        process.kill(-instance.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
}

export function isStartupInterrupted(err: unknown): boolean {
  return err instanceof StartupInterrupted;
}
