// The order service's Fastify app: the chassis, caller verification, the customer and admin
// routes, the status stream, the checkout saga's consumers and its timeout sweeper. Used by
// main.ts and tests.
import {
  type App,
  createIdentity,
  type Discovery,
  type IdentityKit,
  type Logger,
  requireRoles,
  StaticDiscovery,
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
import type { OrderAppConfig } from './config.ts';
import { orderSubscriptions } from './consumes.ts';
import type { OrderContext } from './context.ts';
import { orderCatalog } from './events/catalog.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import type { RouteDeps } from './http/deps.ts';
import { registerOrderRoutes } from './http/order-routes.ts';
import { registerStatusStream } from './http/status-stream.ts';
import { type Sweeper, startTimeoutSweeper } from './saga/timeouts.ts';
import { StatusListener } from './stream/status-listener.ts';
import { createUpstreams } from './upstream/clients.ts';

export const SERVICE = 'order';

export interface BuildAppDeps {
  config: OrderAppConfig & ServiceAppConfig;
  db: pg.Pool | undefined;
  /** Finds product, profile, cart, payment-provider and the token service. */
  discovery?: Discovery;
  logger?: Logger;
  /** The event transport; default: the one the config names (EVENTS_TRANSPORT). */
  transport?: Transport;
  /** Caller verification; default: against the token service found through discovery. */
  identity?: IdentityKit;
  /** Sees every route as it is registered (tests walk the route table with it). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(deps: BuildAppDeps): Promise<App> {
  const { config, db, logger } = deps;
  if (db === undefined) throw new Error('order needs a database: set DATABASE_URL');
  const discovery = deps.discovery ?? new StaticDiscovery('');
  const settings = {
    stockTimeoutSeconds: config.STOCK_TIMEOUT_SECONDS,
    paymentTimeoutSeconds: config.PAYMENT_TIMEOUT_SECONDS,
  };
  // Handlers and the sweeper log through the app's logger, which exists once createServiceApp
  // returns; they first run when the app is ready.
  let appLog: Logger | undefined;
  const { app, events, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Orders, their state machine and the checkout saga (reserve stock, charge payment, confirm)',
    config,
    db,
    logger,
    transport: deps.transport,
    catalog: orderCatalog,
    subscriptions: (events) =>
      orderSubscriptions({
        events,
        settings,
        get logger() {
          return appLog as Logger;
        },
      }) as readonly Subscription[],
    onRoute: deps.onRoute,
  });
  appLog = app.log as unknown as Logger;
  const ctx: OrderContext = { events, settings, logger: appLog };
  const identity = deps.identity ?? createIdentity({ service: SERVICE, config, discovery, logger });
  identity.register(app);

  const upstreams = createUpstreams({
    discovery,
    providerUrl: config.PROVIDER_URL,
    providerSecretKey: config.PROVIDER_SECRET_KEY,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    logger: appLog,
  });
  const listener = new StatusListener(db, appLog);
  const routeDeps: RouteDeps = { db, ctx, upstreams, listener, linkPrefix: config.PUBLIC_PATH_PREFIX };
  registerOrderRoutes(app, routeDeps);
  registerStatusStream(app, routeDeps);
  registerAdminRoutes(app, routeDeps);
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });

  let sweeper: Sweeper | undefined;
  app.addHook('onReady', async () => {
    await listener.start();
    sweeper = startTimeoutSweeper(db, ctx, config.TIMEOUT_SWEEP_INTERVAL_MS);
  });
  app.addHook('onClose', async () => {
    await sweeper?.stop();
    await listener.stop();
    await upstreams.close();
  });
  return app;
}
