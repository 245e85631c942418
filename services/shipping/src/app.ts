// The shipping service's Fastify app: the chassis, caller verification, the customer, public
// tracking and admin routes, the consumers of the order events, and the carrier simulator. Used by
// main.ts and tests.
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
import type { ShippingAppConfig } from './config.ts';
import { shippingSubscriptions } from './consumes.ts';
import type { ShippingContext, ShippingSettings } from './context.ts';
import { shippingCatalog } from './events/catalog.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerCustomerRoutes } from './http/customer-routes.ts';
import type { RouteDeps } from './http/deps.ts';
import { registerTrackingRoutes } from './http/tracking-routes.ts';
import { type Simulator, startSimulator } from './shipments/simulator.ts';

export const SERVICE = 'shipping';

export interface BuildAppDeps {
  config: ShippingAppConfig & ServiceAppConfig;
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

export function settingsOf(config: ShippingAppConfig): ShippingSettings {
  return {
    rules: { originCountry: config.SHIP_FROM_COUNTRY, expressThresholdMinor: config.EXPRESS_THRESHOLD_MINOR },
    origin: { city: config.SHIP_FROM_CITY, country: config.SHIP_FROM_COUNTRY },
    carrierStepSeconds: config.CARRIER_STEP_SECONDS > 0 ? config.CARRIER_STEP_SECONDS : null,
  };
}

export async function buildApp(deps: BuildAppDeps): Promise<App> {
  const { config, db, discovery, logger } = deps;
  if (db === undefined) throw new Error('shipping needs a database: set DATABASE_URL');
  const settings = settingsOf(config);
  // Handlers and the simulator log through the app's logger, which exists once createServiceApp
  // returns; they first run when the app is ready.
  let appLog: Logger | undefined;
  const { app, events, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Shipments of confirmed orders: carrier and service level, tracking, a carrier simulator',
    config,
    db,
    logger,
    transport: deps.transport,
    catalog: shippingCatalog,
    subscriptions: (events) =>
      shippingSubscriptions({
        events,
        settings,
        get logger() {
          return appLog as Logger;
        },
      }) as readonly Subscription[],
    onRoute: deps.onRoute,
  });
  appLog = app.log as unknown as Logger;
  const ctx: ShippingContext = { events, settings, logger: appLog };
  const identity = deps.identity ?? createIdentity({ service: SERVICE, config, discovery, logger });
  identity.register(app);

  const routeDeps: RouteDeps = { db, ctx };
  registerCustomerRoutes(app, routeDeps);
  registerTrackingRoutes(app, routeDeps);
  registerAdminRoutes(app, routeDeps);
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });

  let simulator: Simulator | undefined;
  app.addHook('onReady', async () => {
    if (settings.carrierStepSeconds !== null) {
      simulator = startSimulator(db, ctx, config.CARRIER_SWEEP_INTERVAL_MS);
    }
  });
  app.addHook('onClose', async () => {
    await simulator?.stop();
  });
  return app;
}
