// The cart service's Fastify app: the chassis, caller verification, the cart routes, the
// consumers of price changes and confirmed orders, and the idle sweeper. Carts live in Postgres,
// or in Redis when REDIS_URL is set; the event inbox is in Postgres either way. Used by main.ts
// and tests.
import {
  type App,
  createIdentity,
  createServiceClient,
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
import { type Sweeper, startSweeper } from './carts/sweeper.ts';
import { PRODUCT_SERVICE, ProductCatalog, type ProductLookup } from './catalog/product-catalog.ts';
import type { CartAppConfig } from './config.ts';
import { cartSubscriptions } from './consumes.ts';
import type { CartContext } from './context.ts';
import { DAY_MS } from './domain/limits.ts';
import { cartCatalog } from './events/catalog.ts';
import { registerCartRoutes } from './http/cart-routes.ts';
import type { CartStore } from './store/cart-store.ts';
import { PostgresCartStore } from './store/postgres-cart-store.ts';
import { RedisCartStore } from './store/redis-cart-store.ts';

export const SERVICE = 'cart';

export interface BuildAppDeps {
  config: CartAppConfig & ServiceAppConfig;
  db: pg.Pool | undefined;
  /** Finds the product and token services. */
  discovery?: Discovery;
  logger?: Logger;
  /** The event transport; default: the one the config names (EVENTS_TRANSPORT). */
  transport?: Transport;
  /** Caller verification; default: against the token service found through discovery. */
  identity?: IdentityKit;
  /** Default: product service lookups through discovery. */
  products?: ProductLookup;
  /** The clock of every cart operation (tests move it to reach idle expiry). */
  now?: () => number;
  /** Sees the sweeper once started (tests run a sweep on demand). */
  onSweeper?: (sweeper: Sweeper) => void;
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(deps: BuildAppDeps): Promise<App> {
  const { config, db, discovery, logger } = deps;
  if (db === undefined) throw new Error('cart needs a database: set DATABASE_URL');
  const store: CartStore =
    config.REDIS_URL === undefined
      ? new PostgresCartStore(db)
      : new RedisCartStore({ url: config.REDIS_URL });
  const productClient =
    deps.products === undefined
      ? createServiceClient({
          service: PRODUCT_SERVICE,
          discovery: requireDiscovery(discovery),
          timeoutMs: config.PRODUCT_TIMEOUT_MS,
          attemptTimeoutMs: Math.max(200, Math.floor(config.PRODUCT_TIMEOUT_MS / 3)),
          ...(logger ? { logger } : {}),
        })
      : undefined;
  const now = deps.now ?? Date.now;
  // Handlers and the sweeper log through the app's logger, which exists once createServiceApp returns.
  let appLog: Logger | undefined;
  const ctx: CartContext = {
    store,
    products:
      deps.products ??
      new ProductCatalog({
        client: productClient as NonNullable<typeof productClient>,
        maxEntries: config.PRODUCT_FALLBACK_ENTRIES,
        maxStalenessMs: config.PRODUCT_MAX_STALENESS_MS,
        logger: { warn: (...args: Parameters<Logger['warn']>) => appLog?.warn(...args) },
        now,
      }),
    settings: { idleMs: config.CART_IDLE_DAYS * DAY_MS, emptyCurrency: config.CART_CURRENCY },
    now,
    get logger() {
      return appLog as Logger;
    },
  };
  const { app, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Carts: one per user, anonymous carts by token merged at login, prices kept current',
    config,
    db,
    logger,
    transport: deps.transport,
    catalog: cartCatalog,
    subscriptions: cartSubscriptions(ctx) as readonly Subscription[],
    onRoute: deps.onRoute,
    // Carts in Redis: without it the service cannot answer a cart request.
    ...(config.REDIS_URL !== undefined ? { readiness: { redis: () => store.check() } } : {}),
  });
  appLog = app.log as unknown as Logger;
  const identity = deps.identity ?? createIdentity({ service: SERVICE, config, discovery, logger });
  identity.register(app);

  await app.register(async (carts: App) => registerCartRoutes(carts, ctx));
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });

  let sweeper: Sweeper | undefined;
  app.addHook('onReady', async () => {
    sweeper = startSweeper(ctx, config.CART_SWEEP_INTERVAL_MS);
    deps.onSweeper?.(sweeper);
  });
  app.addHook('onClose', async () => {
    await sweeper?.stop();
    await productClient?.close();
    await store.close();
  });
  return app;
}

function requireDiscovery(discovery: Discovery | undefined): Discovery {
  if (discovery === undefined) throw new Error('cart needs discovery to reach the product service');
  return discovery;
}
