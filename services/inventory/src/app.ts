// The inventory service's Fastify app: the chassis, caller verification, the availability and
// admin routes, the consumers of the order and catalog events, and the reservation sweeper.
// Used by main.ts and tests.
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
import type { InventoryAppConfig } from './config.ts';
import { inventorySubscriptions } from './consumes.ts';
import type { InventoryContext } from './context.ts';
import { inventoryCatalog } from './events/catalog.ts';
import { registerAvailabilityRoutes } from './http/availability-routes.ts';
import type { RouteDeps } from './http/deps.ts';
import { registerReservationRoutes } from './http/reservation-routes.ts';
import { registerStockRoutes } from './http/stock-routes.ts';
import { type Sweeper, startSweeper } from './reservations/sweeper.ts';

export const SERVICE = 'inventory';

export interface BuildAppDeps {
  config: InventoryAppConfig & ServiceAppConfig;
  db: pg.Pool | undefined;
  /** Reaches the token service (keys, revocations) when no identity kit is given. */
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
  const { config, db, discovery, logger } = deps;
  if (db === undefined) throw new Error('inventory needs a database: set DATABASE_URL');
  const settings = {
    newSkuStock: config.NEW_SKU_STOCK,
    reservationTtlSeconds: config.RESERVATION_TTL_SECONDS,
    lowStockThreshold: config.LOW_STOCK_THRESHOLD,
  };
  // Handlers and the sweeper log through the app's logger, which exists once createServiceApp
  // returns; they first run when the app is ready.
  let appLog: Logger | undefined;
  const { app, events, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Stock per SKU, reservations per order with expiry, restocks and adjustments',
    config,
    db,
    logger,
    transport: deps.transport,
    catalog: inventoryCatalog,
    subscriptions: (events) =>
      inventorySubscriptions({
        events,
        settings,
        get logger() {
          return appLog as Logger;
        },
      }) as readonly Subscription[],
    onRoute: deps.onRoute,
  });
  appLog = app.log as unknown as Logger;
  const context: InventoryContext = { events, settings, logger: appLog };
  const identity = deps.identity ?? createIdentity({ service: SERVICE, config, discovery, logger });
  identity.register(app);

  const routeDeps: RouteDeps = { db, ctx: context };
  registerAvailabilityRoutes(app, routeDeps);
  registerStockRoutes(app, routeDeps);
  registerReservationRoutes(app, routeDeps);
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });

  let sweeper: Sweeper | undefined;
  app.addHook('onReady', async () => {
    sweeper = startSweeper(db, context, config.RESERVATION_SWEEP_INTERVAL_MS);
  });
  app.addHook('onClose', async () => {
    await sweeper?.stop();
  });
  return app;
}
