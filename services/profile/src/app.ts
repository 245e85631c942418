// The profile service's Fastify app: the chassis, caller verification, the addresses and
// preferences routes, and the registration event. Used by main.ts and tests.
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
  type Transport,
} from '@shopnow/events';
import type { RouteOptions } from 'fastify';
import type pg from 'pg';
import pkg from '../package.json' with { type: 'json' };
import type { ProfileAppConfig } from './config.ts';
import { profileSubscriptions } from './consumes.ts';
import { profileCatalog } from './events/catalog.ts';
import { authorizeProfileAccess } from './http/access.ts';
import { registerAddressRoutes } from './http/address-routes.ts';
import type { RouteDeps } from './http/deps.ts';
import { registerPreferencesRoutes } from './http/preferences-routes.ts';

export const SERVICE = 'profile';

export interface BuildAppDeps {
  config: ProfileAppConfig & ServiceAppConfig;
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
  if (db === undefined) throw new Error('profile needs a database: set DATABASE_URL');
  const { app, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Addresses and preferences of each user',
    config,
    db,
    logger,
    transport: deps.transport,
    catalog: profileCatalog,
    subscriptions: profileSubscriptions,
    onRoute: deps.onRoute,
  });
  const identity = deps.identity ?? createIdentity({ service: SERVICE, config, discovery, logger });
  identity.register(app);

  const routeDeps: RouteDeps = { db };
  // Every /profiles route sits behind the one access rule (src/http/access.ts), checked before
  // the body is read, so no route can forget it.
  await app.register(async (profiles: App) => {
    profiles.decorateRequest('profileUserId', undefined);
    profiles.addHook('onRequest', authorizeProfileAccess);
    registerPreferencesRoutes(profiles, routeDeps);
    registerAddressRoutes(profiles, routeDeps);
  });
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });
  return app;
}
