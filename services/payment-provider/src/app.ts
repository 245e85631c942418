// The payment provider sandbox's Fastify app: the chassis, then three scopes with their own
// hooks: tokenization (publishable key, any origin), the merchant API (secret key), both behind
// fault injection; and the fault controls (secret key, never faulted). Used by main.ts and tests.
import { type App, createApp, type Logger } from '@shopnow/chassis';
import type { RouteOptions } from 'fastify';
import type pg from 'pg';
import pkg from '../package.json' with { type: 'json' };
import { checkKeys, type ProviderAppConfig } from './config.ts';
import { requireKey } from './http/api-keys.ts';
import { registerChargeRoutes } from './http/charge-routes.ts';
import { allowAnyOrigin, registerTokenPreflight } from './http/cors.ts';
import type { RouteDeps } from './http/deps.ts';
import { faultSettings } from './http/fault-settings.ts';
import { faultsHook } from './http/faults-hook.ts';
import { providerMetrics } from './http/metrics.ts';
import { declareKeySchemes } from './http/openapi-keys.ts';
import { registerRefundRoutes } from './http/refund-routes.ts';
import { registerSandboxRoutes } from './http/sandbox-routes.ts';
import { registerCreateToken, registerGetToken } from './http/token-routes.ts';

export const SERVICE = 'payment-provider';

export interface BuildAppDeps {
  config: ProviderAppConfig;
  db: pg.Pool | undefined;
  logger?: Logger;
  /** The time; tests move it to expire tokens. */
  clock?: () => Date;
  /** Draws for the error rate, in [0, 1). */
  random?: () => number;
  /** Sees every route as it is registered. */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(deps: BuildAppDeps): Promise<App> {
  const { config, db } = deps;
  if (db === undefined) throw new Error('payment-provider needs a database: set DATABASE_URL');
  checkKeys(config);
  const app = await createApp({
    service: SERVICE,
    version: pkg.version,
    description: 'Sandbox card processor: tokens, charges and refunds, test cards, fault injection',
    logger: deps.logger,
    logLevel: config.LOG_LEVEL,
    bodyLimit: config.BODY_LIMIT_BYTES,
    db,
  });
  if (deps.onRoute !== undefined) app.addHook('onRoute', deps.onRoute);
  declareKeySchemes(app);

  const metrics = providerMetrics(app.shopnow.metrics);
  const routeDeps: RouteDeps = {
    db,
    clock: deps.clock ?? (() => new Date()),
    tokenTtlSeconds: config.TOKEN_TTL_SECONDS,
    metrics,
  };
  const keys = { secret: config.PROVIDER_SECRET_KEY, publishable: config.PROVIDER_PUBLISHABLE_KEY };
  const faults = faultSettings(db, {
    latencyMs: config.SANDBOX_LATENCY_MS,
    errorRate: config.SANDBOX_ERROR_RATE,
    down: false,
  });
  const injectFaults = faultsHook(faults, (fault) => metrics.faults.inc({ fault }), deps.random);

  registerTokenPreflight(app);
  await app.register(async (browser: App) => {
    browser.addHook('onRequest', allowAnyOrigin);
    browser.addHook('onRequest', injectFaults);
    browser.addHook('onRequest', requireKey(keys, ['publishable', 'secret']));
    registerCreateToken(browser, routeDeps);
  });
  await app.register(async (merchant: App) => {
    merchant.addHook('onRequest', injectFaults);
    merchant.addHook('onRequest', requireKey(keys, ['secret']));
    registerGetToken(merchant, routeDeps);
    registerChargeRoutes(merchant, routeDeps);
    registerRefundRoutes(merchant, routeDeps);
  });
  await app.register(async (controls: App) => {
    controls.addHook('onRequest', requireKey(keys, ['secret']));
    registerSandboxRoutes(controls, faults);
  });
  return app;
}
