// The product service's Fastify app: the chassis, caller verification, the catalog's routes and
// its events. Used by main.ts and tests.
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
import type pg from 'pg';
import pkg from '../package.json' with { type: 'json' };
import { ProductCache } from './cache/product-cache.ts';
import type { ProductAppConfig } from './config.ts';
import { productSubscriptions } from './consumes.ts';
import { productCatalog } from './events/catalog.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerCategoryRoutes } from './http/category-routes.ts';
import type { RouteDeps } from './http/deps.ts';
import { registerImageRoutes } from './http/image-routes.ts';
import { registerPriceHistoryRoutes } from './http/price-history-routes.ts';
import { registerProductRoutes } from './http/product-routes.ts';
import { registerReviewRoutes } from './http/review-routes.ts';
import { registerSearchRoutes } from './http/search-routes.ts';

export const SERVICE = 'product';

export interface BuildAppDeps {
  config: ProductAppConfig & ServiceAppConfig;
  db: pg.Pool | undefined;
  /** How the token service is reached (its keys and revocations). */
  discovery?: Discovery;
  logger?: Logger;
  /** The event transport; default: the one the config names (EVENTS_TRANSPORT). */
  transport?: Transport;
  /** Caller verification; default: against the token service found through discovery. */
  identity?: IdentityKit;
}

export async function buildApp({
  config,
  db,
  discovery,
  logger,
  transport: given,
  identity: kit,
}: BuildAppDeps): Promise<App> {
  if (db === undefined) throw new Error('product needs a database: set DATABASE_URL');
  const { app, events, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Catalog, categories, prices, search, reviews and ratings',
    config,
    db,
    logger,
    transport: given,
    catalog: productCatalog,
    subscriptions: productSubscriptions,
  });
  // Before any route: every request's bearer token is verified and forged X-User-* headers dropped.
  const identity = kit ?? createIdentity({ service: SERVICE, config, discovery, logger });
  identity.register(app);

  const deps: RouteDeps = {
    db,
    cache: new ProductCache({ ttlMs: config.PRODUCT_CACHE_TTL_MS }),
    events,
  };
  registerProductRoutes(app, deps);
  registerPriceHistoryRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerCategoryRoutes(app, deps);
  registerImageRoutes(app, deps);
  registerReviewRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });
  return app;
}
