// The product service's Fastify app: the chassis plus the catalog's routes. Used by main.ts and tests.
import { type App, createApp, type Logger } from '@shopnow/chassis';
import type pg from 'pg';
import pkg from '../package.json' with { type: 'json' };
import { ProductCache } from './cache/product-cache.ts';
import type { ProductAppConfig } from './config.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerCategoryRoutes } from './http/category-routes.ts';
import type { RouteDeps } from './http/deps.ts';
import { registerImageRoutes } from './http/image-routes.ts';
import { registerProductRoutes } from './http/product-routes.ts';
import { registerReviewRoutes } from './http/review-routes.ts';
import { registerSearchRoutes } from './http/search-routes.ts';

export const SERVICE = 'product';

export interface BuildAppDeps {
  config: ProductAppConfig;
  db: pg.Pool | undefined;
  /** Unused until product calls other services; kept so every service's buildApp looks alike. */
  discovery?: unknown;
  logger?: Logger;
}

export async function buildApp({ config, db, logger }: BuildAppDeps): Promise<App> {
  if (db === undefined) throw new Error('product needs a database: set DATABASE_URL');
  const app = await createApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Catalog, categories, prices, search, reviews and ratings',
    logger,
    logLevel: config.LOG_LEVEL,
    bodyLimit: config.BODY_LIMIT_BYTES,
    db,
  });
  const deps: RouteDeps = {
    db,
    cache: new ProductCache({ ttlMs: config.PRODUCT_CACHE_TTL_MS }),
    adminToken: config.ADMIN_TOKEN,
  };
  registerProductRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerCategoryRoutes(app, deps);
  registerImageRoutes(app, deps);
  registerReviewRoutes(app, deps);
  registerAdminRoutes(app, deps);
  return app;
}
