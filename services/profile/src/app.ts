// The profile service's Fastify app: the chassis, caller verification, the addresses and
// preferences routes, and the registration event. Used by main.ts and tests.
import {
  type App,
  createApp,
  createIdentity,
  type Discovery,
  type IdentityKit,
  type Logger,
  requireRoles,
} from '@shopnow/chassis';
import {
  Events,
  type EventsConfig,
  registerDeadLetterRoutes,
  type Transport,
  transportFromConfig,
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
  config: ProfileAppConfig &
    Partial<EventsConfig> & { EVENTS_MAX_ATTEMPTS?: number; EVENTS_CONCURRENCY?: number };
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
  const app = await createApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Addresses and preferences of each user',
    logger,
    logLevel: config.LOG_LEVEL,
    bodyLimit: config.BODY_LIMIT_BYTES,
    db,
    readiness: { events: () => transport.check() },
  });
  if (deps.onRoute !== undefined) app.addHook('onRoute', deps.onRoute);
  const identity = deps.identity ?? createIdentity({ service: SERVICE, config, discovery, logger });
  identity.register(app);

  const transport =
    deps.transport ??
    transportFromConfig({ EVENTS_TRANSPORT: 'postgres', ...config }, app.log as unknown as Logger);
  const events = new Events({
    service: SERVICE,
    db,
    transport,
    catalog: profileCatalog,
    logger: app.log as unknown as Logger,
    metrics: app.shopnow.metrics,
    retry: { maxAttempts: config.EVENTS_MAX_ATTEMPTS },
    concurrency: config.EVENTS_CONCURRENCY,
  });
  for (const subscription of profileSubscriptions) events.subscribe(subscription);
  // Consumers run while the app does: started when it is ready, stopped after in-flight
  // requests have drained (Fastify runs onClose after the server closed).
  app.addHook('onReady', () => events.start());
  app.addHook('onClose', () => events.stop());

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
