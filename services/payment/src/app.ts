// The payment service's Fastify app: the chassis, caller verification, the admin routes, the
// consumers of the order events, and the worker that calls the card processor. Used by main.ts
// and tests.
import {
  type App,
  createIdentity,
  type Discovery,
  type IdentityKit,
  type Logger,
  requireRoles,
} from '@shopnow/chassis';
import {
  createServiceApp,
  registerDeadLetterRoutes,
  type ServiceAppConfig,
  type Subscription,
  type Transport,
} from '@shopnow/events';
import type { RouteOptions } from 'fastify';
import type pg from 'pg';
import pkg from '../package.json' with { type: 'json' };
import type { PaymentAppConfig } from './config.ts';
import { paymentSubscriptions } from './consumes.ts';
import type { PaymentSettings, WorkerContext } from './context.ts';
import { paymentCatalog } from './events/catalog.ts';
import { registerPaymentRoutes } from './http/payment-routes.ts';
import { paymentMetrics } from './payments/metrics.ts';
import { startWorker, type Worker } from './payments/worker.ts';
import { createProviderClient, type ProviderClient } from './provider/provider-client.ts';

export const SERVICE = 'payment';

export interface BuildAppDeps {
  config: PaymentAppConfig & ServiceAppConfig;
  db: pg.Pool | undefined;
  /** Finds the token service, and the processor when PROVIDER_URL is not set. */
  discovery?: Discovery;
  logger?: Logger;
  /** The event transport; default: the one the config names (EVENTS_TRANSPORT). */
  transport?: Transport;
  /** Caller verification; default: against the token service found through discovery. */
  identity?: IdentityKit;
  /** The processor; default: over HTTP at PROVIDER_URL (or through discovery). */
  provider?: ProviderClient;
  /** Sees every route as it is registered (tests walk the route table with it). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(deps: BuildAppDeps): Promise<App> {
  const { config, db, discovery, logger } = deps;
  if (db === undefined) throw new Error('payment needs a database: set DATABASE_URL');
  const settings: PaymentSettings = {
    retryBaseMs: config.PAYMENT_RETRY_BASE_MS,
    retryMaxMs: config.PAYMENT_RETRY_MAX_MS,
    settleMs: config.PAYMENT_SETTLE_MS,
    leaseMs: config.PROVIDER_TIMEOUT_MS + 5_000,
  };
  // Handlers and the worker log through the app's logger, which exists once createServiceApp
  // returns; they first run when the app is ready.
  let appLog: Logger | undefined;
  const { app, events, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Charges and refunds of orders through the card processor, at most one charge per order',
    config,
    db,
    logger,
    transport: deps.transport,
    catalog: paymentCatalog,
    subscriptions: (events) =>
      paymentSubscriptions({
        events,
        settings,
        get logger() {
          return appLog as Logger;
        },
      }) as readonly Subscription[],
    onRoute: deps.onRoute,
  });
  appLog = app.log as unknown as Logger;
  const provider =
    deps.provider ??
    createProviderClient(
      {
        url: config.PROVIDER_URL,
        secretKey: config.PROVIDER_SECRET_KEY,
        timeoutMs: config.PROVIDER_TIMEOUT_MS,
        breakerFailures: config.PROVIDER_BREAKER_FAILURES,
        breakerOpenMs: config.PROVIDER_BREAKER_OPEN_MS,
      },
      { discovery, logger: appLog },
    );
  const context: WorkerContext = {
    events,
    settings,
    logger: appLog,
    provider,
    metrics: paymentMetrics(app.shopnow.metrics),
  };
  const identity = deps.identity ?? createIdentity({ service: SERVICE, config, discovery, logger });
  identity.register(app);

  registerPaymentRoutes(app, { db });
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });

  let worker: Worker | undefined;
  app.addHook('onReady', async () => {
    worker = startWorker(db, context, {
      intervalMs: config.PAYMENT_POLL_INTERVAL_MS,
      batchSize: config.PAYMENT_BATCH_SIZE,
    });
  });
  app.addHook('onClose', async () => {
    await worker?.stop();
    await provider.close();
  });
  return app;
}
