// The notification service's Fastify app: the chassis, caller verification, the inbox, admin and
// (when enabled) developer-mailbox routes, the consumers of the platform's events, and the sender
// that prepares and emails what they store. Used by main.ts and tests.
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
import { catalogProducts, type ProductSource } from './catalog/product-source.ts';
import type { NotificationAppConfig } from './config.ts';
import { notificationSubscriptions } from './consumes.ts';
import type { DeliveryContext } from './context.ts';
import { type Mailer, smtpMailer } from './delivery/mailer.ts';
import { deliveryMetrics } from './delivery/metrics.ts';
import { startWorker, type Worker } from './delivery/worker.ts';
import { TokenBucket } from './domain/token-bucket.ts';
import { notificationCatalog } from './events/catalog.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerInboxRoutes } from './http/inbox-routes.ts';
import { registerMailboxRoutes } from './http/mailbox-routes.ts';
import { registerStockAlertRoutes } from './http/stock-alert-routes.ts';
import { type PreferencesSource, profilePreferences } from './profile/preferences-source.ts';
import { linksFor } from './templates/links.ts';

export const SERVICE = 'notification';

export interface BuildAppDeps {
  config: NotificationAppConfig & ServiceAppConfig;
  db: pg.Pool | undefined;
  /** Finds the token and profile services. */
  discovery?: Discovery;
  logger?: Logger;
  /** The event transport; default: the one the config names (EVENTS_TRANSPORT). */
  transport?: Transport;
  /** Caller verification; default: against the token service found through discovery. */
  identity?: IdentityKit;
  /** The bearer for profile calls; default: this service's own token (SERVICE_CLIENT_SECRET). */
  serviceAuthorization?: () => Promise<string>;
  /** Preferences; default: the profile service over HTTP. */
  preferences?: PreferencesSource;
  /** Products for back-in-stock alerts; default: the product service over HTTP. */
  products?: ProductSource;
  /** The SMTP side; default: nodemailer at SMTP_URL (none without it). */
  mailer?: Mailer;
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(deps: BuildAppDeps): Promise<App> {
  const { config, db, discovery, logger } = deps;
  if (db === undefined) throw new Error('notification needs a database: set DATABASE_URL');
  const { app, transport } = await createServiceApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Emails and in-app messages from the platform events, a developer mailbox',
    config,
    db,
    logger,
    transport: deps.transport,
    catalog: notificationCatalog,
    subscriptions: notificationSubscriptions() as readonly Subscription[],
    onRoute: deps.onRoute,
  });
  const log = app.log as unknown as Logger;
  const identity = deps.identity ?? createIdentity({ service: SERVICE, config, discovery, logger });
  identity.register(app);

  const authorization =
    deps.serviceAuthorization ??
    (identity.serviceToken &&
      (() => (identity.serviceToken as NonNullable<typeof identity.serviceToken>).authorization()));
  if (deps.preferences === undefined && authorization === undefined) {
    log.warn(
      'no SERVICE_CLIENT_SECRET: profile preferences cannot be read; defaults apply and no marketing is sent',
    );
  }
  const profileClient =
    deps.preferences === undefined && discovery !== undefined
      ? createServiceClient({
          service: 'profile',
          discovery,
          timeoutMs: config.PROFILE_TIMEOUT_MS,
          logger: log,
        })
      : undefined;
  const preferences =
    deps.preferences ??
    (profileClient === undefined
      ? { get: async () => undefined }
      : profilePreferences({
          client: profileClient,
          authorization,
          cacheMs: config.PREFERENCES_CACHE_MS,
          logger: log,
        }));
  const mailer =
    deps.mailer ??
    (config.SMTP_URL === undefined
      ? undefined
      : smtpMailer({ url: config.SMTP_URL, from: config.SMTP_FROM, timeoutMs: config.SMTP_TIMEOUT_MS }));
  if (mailer === undefined) log.info('no SMTP_URL: emails are stored and readable, not sent');

  const ctx: DeliveryContext = {
    settings: {
      maxAttempts: config.SMTP_MAX_ATTEMPTS,
      maxWaitMs: config.NOTIFICATION_MAX_WAIT_MS,
      retryBaseMs: config.SMTP_RETRY_BASE_MS,
      retryMaxMs: config.SMTP_RETRY_MAX_MS,
      // connect + greeting + socket timeouts of a send, the profile call, and a margin
      leaseMs: config.SMTP_TIMEOUT_MS * 3 + config.PROFILE_TIMEOUT_MS + 5_000,
    },
    preferences,
    mailer,
    bucket: new TokenBucket({ ratePerSecond: config.SMTP_MAX_PER_SECOND }),
    links: linksFor(config.WEB_BASE_URL),
    metrics: deliveryMetrics(app.shopnow.metrics),
    logger: log,
  };

  registerInboxRoutes(app, { db });
  const products = deps.products ?? productsOverHttp(discovery, config.PRODUCT_TIMEOUT_MS, log);
  registerStockAlertRoutes(app, { db, products });
  registerAdminRoutes(app, { db });
  if (config.DEV_MAILBOX) registerMailboxRoutes(app, { db });
  registerDeadLetterRoutes(app, { db, transport, authorize: requireRoles('admin') });

  let worker: Worker | undefined;
  app.addHook('onReady', async () => {
    worker = startWorker(db, ctx, {
      intervalMs: config.NOTIFICATION_POLL_INTERVAL_MS,
      batchSize: config.NOTIFICATION_BATCH_SIZE,
    });
  });
  app.addHook('onClose', async () => {
    await worker?.stop();
    mailer?.close();
    await profileClient?.close();
  });
  return app;
}

/** The product service through discovery; without discovery (tests) every product is unknown. */
function productsOverHttp(
  discovery: Discovery | undefined,
  timeoutMs: number,
  logger: Logger,
): ProductSource {
  if (discovery === undefined) return { find: async () => undefined };
  return catalogProducts(createServiceClient({ service: 'product', discovery, timeoutMs, logger }));
}
