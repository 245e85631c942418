// The app of a service that publishes or consumes events (every ShopNow service): the chassis app,
// the event transport the configuration names, the outbox relay and the service's consumers,
// started when the app is ready and stopped after in-flight requests have drained. What each
// service's buildApp used to repeat; the service adds caller verification and its routes.
import { type App, createApp, type Logger, type ReadinessCheck } from '@shopnow/chassis';
import type { EventCatalog } from '@shopnow/contracts';
import type { onRouteHookHandler } from 'fastify';
import type pg from 'pg';
import { type EventsConfig, transportFromConfig } from './config.ts';
import { Events } from './events.ts';
import type { Subscription } from './inbox/handlers.ts';
import type { Transport } from './transport.ts';

/** The settings createServiceApp reads (a loaded config has them; tests may pass just these). */
export type ServiceAppConfig = Partial<EventsConfig> & {
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  EVENTS_MAX_ATTEMPTS?: number | undefined;
  EVENTS_CONCURRENCY?: number | undefined;
};

export interface ServiceAppOptions {
  service: string;
  version: string;
  /** OpenAPI `info.description`. */
  description: string;
  config: ServiceAppConfig;
  db: pg.Pool;
  logger?: Logger | undefined;
  /** The event transport; default: the one the config names (EVENTS_TRANSPORT, postgres by default). */
  transport?: Transport | undefined;
  /** The event types the service publishes or consumes. */
  catalog: EventCatalog;
  /** What the service consumes (its consumes.ts); a function when handlers publish through `events`. */
  subscriptions: readonly Subscription[] | ((events: Events) => readonly Subscription[]);
  /** Sees every route as it is registered (tests walk the route table with it). */
  onRoute?: onRouteHookHandler | undefined;
  /** Dependencies besides the database and the event transport that readiness must see healthy. */
  readiness?: Record<string, ReadinessCheck> | undefined;
}

export interface ServiceApp {
  app: App;
  events: Events;
  transport: Transport;
}

export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const { service, config, db } = options;
  let transport: Transport | undefined = options.transport;
  const app = await createApp({
    service,
    version: options.version,
    description: options.description,
    logger: options.logger,
    logLevel: config.LOG_LEVEL,
    bodyLimit: config.BODY_LIMIT_BYTES,
    db,
    readiness: { ...options.readiness, events: () => (transport as Transport).check() },
  });
  if (options.onRoute !== undefined) app.addHook('onRoute', options.onRoute);
  const logger = app.log as unknown as Logger;
  transport ??= transportFromConfig({ EVENTS_TRANSPORT: 'postgres', ...config }, logger);
  const events = new Events({
    service,
    db,
    transport,
    catalog: options.catalog,
    logger,
    metrics: app.shopnow.metrics,
    retry: { maxAttempts: config.EVENTS_MAX_ATTEMPTS },
    concurrency: config.EVENTS_CONCURRENCY,
  });
  const subscriptions =
    typeof options.subscriptions === 'function' ? options.subscriptions(events) : options.subscriptions;
  for (const subscription of subscriptions) events.subscribe(subscription);
  app.addHook('onReady', () => events.start());
  app.addHook('onClose', () => events.stop());
  return { app, events, transport };
}
