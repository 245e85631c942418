// The user service's Fastify app: the chassis, caller verification, the user routes and events.
// Used by main.ts and tests.

import type { Discovery } from '@shopnow/chassis';
import { type App, createIdentity, type IdentityKit, type Logger, requireRoles } from '@shopnow/chassis';
import {
  createServiceApp,
  registerDeadLetterRoutes,
  type ServiceAppConfig,
  type Transport,
} from '@shopnow/events';
import type { onRouteHookHandler } from 'fastify';
import type pg from 'pg';
import pkg from '../package.json' with { type: 'json' };
import type { UserAppConfig } from './config.ts';
import { userSubscriptions } from './consumes.ts';
import { userCatalog } from './events/catalog.ts';
import { registerAdminReadRoutes } from './http/admin-read-routes.ts';
import { registerAdminWriteRoutes } from './http/admin-write-routes.ts';
import type { RouteDeps } from './http/deps.ts';
import { registerMeRoutes } from './http/me-routes.ts';
import { registerUserRoutes } from './http/user-routes.ts';

export const SERVICE = 'user';

export interface BuildAppDeps {
  config: UserAppConfig & ServiceAppConfig;
  db: pg.Pool | undefined;
  /** How the token service is reached (keys, revocations, this service's own token). */
  discovery?: Discovery;
  logger?: Logger;
  /** The event transport; default: the one the config names (EVENTS_TRANSPORT). */
  transport?: Transport;
  /** Caller verification; default: against the token service found through discovery. */
  identity?: IdentityKit;
  /** An onRoute hook added before any route (tests walk the route table with it). */
  onRoute?: onRouteHookHandler;
}

export async function buildApp({
  config,
  db,
  discovery,
  logger,
  transport: given,
  identity: kit,
  onRoute,
}: BuildAppDeps): Promise<App> {
  if (db === undefined) throw new Error('user needs a database: set DATABASE_URL');
  const { app, events, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description: 'User records: name, email, roles, tier, status; admin user management',
    config,
    db,
    logger,
    transport: given,
    catalog: userCatalog,
    subscriptions: userSubscriptions,
    onRoute,
  });
  const identity = kit ?? createIdentity({ service: SERVICE, config, discovery, logger });
  identity.register(app);

  const routeDeps: RouteDeps = { db, events };
  registerMeRoutes(app, routeDeps);
  registerUserRoutes(app, routeDeps);
  registerAdminReadRoutes(app, routeDeps);
  registerAdminWriteRoutes(app, routeDeps);
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });
  return app;
}
