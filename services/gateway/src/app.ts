// The gateway's Fastify app: the chassis (logs, metrics, health, problem+json) around one
// wildcard route that proxies by the route table, plus the gateway's own endpoints (its OpenAPI
// document and docs page, the admin API). Used by main.ts and tests.
import {
  type App,
  ConfigError,
  createApp,
  createIdentity,
  createServiceClient,
  type Discovery,
  type IdentityKit,
  type Logger,
} from '@shopnow/chassis';
import { type Transport, transportFromConfig } from '@shopnow/events';
import pkg from '../package.json' with { type: 'json' };
import { ApiKeyExchange } from './auth/api-key-exchange.ts';
import { CallerAuthenticator } from './auth/authenticate-caller.ts';
import { ResponseCache, startCachePurge } from './cache/index.ts';
import type { GatewayConfig } from './config.ts';
import { parseTrustedProxies } from './edge/client-ip.ts';
import { DEFAULT_EDGE_LIMITS, type EdgeLimits, edgeFastifyOptions } from './edge/limits.ts';
import { hstsHeader, loadTlsOptions, startHttpsRedirect } from './edge/tls.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerApiDocs } from './http/api-docs-routes.ts';
import { registerEdgeHooks } from './http/edge-hooks.ts';
import { registerProxyRoute } from './http/proxy-route.ts';
import type { GatewayRuntime } from './proxy/gateway-runtime.ts';
import { RateLimiter } from './ratelimit/rate-limiter.ts';
import { RouteTableError } from './routes/route-table.ts';
import { RouteTableWatcher } from './routes/route-table-watcher.ts';
import { UpstreamSet } from './upstream/upstream-set.ts';

export const SERVICE = 'gateway';

export interface BuildGatewayDeps {
  config: GatewayConfig;
  discovery: Discovery;
  logger?: Logger | undefined;
  instanceId?: string | undefined;
  /** Caller verification; default: against the token service found through discovery. */
  identity?: IdentityKit | undefined;
  /** The event transport for cache purges; default: the one the config names, if it names a bus. */
  transport?: Transport | undefined;
}

export async function buildGateway(deps: BuildGatewayDeps): Promise<App> {
  const { config, discovery } = deps;
  const tlsOptions = asConfigError(() => loadTlsOptions(config));
  const limits: EdgeLimits = {
    ...DEFAULT_EDGE_LIMITS,
    maxUrlLength: config.MAX_URL_LENGTH,
    maxHeaderBytes: config.MAX_HEADER_BYTES,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  };
  const app = await createApp({
    service: SERVICE,
    version: pkg.version,
    description: 'The one public entry of ShopNow',
    logger: deps.logger,
    logLevel: config.LOG_LEVEL,
    bodyLimit: config.BODY_LIMIT_BYTES,
    serverOptions: edgeFastifyOptions(limits, tlsOptions),
  });
  const logger = app.log as unknown as Logger;
  const metrics = app.shopnow.metrics;

  const routes = new RouteTableWatcher({
    path: config.ROUTES_FILE,
    logger,
    onChange: (table) => {
      upstreams.update(table.upstreams);
      limiter.update(table.file.rateLimits);
      logger.info({ version: table.version, routes: table.routes.length }, 'route table reloaded');
    },
  });
  const table = await routes.start().catch((err: unknown) => {
    // A bad route table stops the start like a bad variable: one line, naming the file and each problem.
    if (err instanceof RouteTableError) {
      throw new ConfigError(
        `config: ROUTES_FILE ${err.message.replaceAll('\n  ', ' | ').replace(':\n', ':')}`,
      );
    }
    throw err;
  });
  const upstreams = new UpstreamSet({ discovery, upstreams: table.upstreams, logger, metrics });
  const limiter = new RateLimiter({
    settings: table.file.rateLimits,
    redisUrl: config.REDIS_URL,
    logger,
    metrics,
  });
  const cache = new ResponseCache({ redisUrl: config.REDIS_URL, logger, metrics });
  // Every request of a client carries the same token: verified once, then a lookup for up to 60 s.
  const identity =
    deps.identity ??
    createIdentity({ service: SERVICE, config, discovery, logger, verifiedTokenCache: 10_000 });
  const tokenClient = createServiceClient({ service: 'token', discovery, timeoutMs: 3000, logger });
  const runtime: GatewayRuntime = {
    routes,
    upstreams,
    limiter,
    cache,
    authenticator: new CallerAuthenticator({
      verifier: identity.verifier,
      apiKeys: new ApiKeyExchange({ client: tokenClient }),
    }),
    trustedProxies: asConfigError(() => parseTrustedProxies(config.TRUSTED_PROXIES)),
    tls: tlsOptions !== undefined,
    maxUrlLength: config.MAX_URL_LENGTH,
  };

  asConfigError(() =>
    registerEdgeHooks(app, {
      cors: () => routes.current().file.cors,
      limits,
      metricsAllow: config.METRICS_ALLOW,
      trustedProxies: runtime.trustedProxies,
      tls: runtime.tls,
      hsts: asConfigError(() => hstsHeader(config.HSTS_MAX_AGE_SECONDS)),
    }),
  );
  await registerApiDocs(app, runtime);
  registerAdminRoutes(app, runtime);
  await registerProxyRoute(app, runtime);

  const transport = deps.transport ?? busTransport(config, logger);
  let purge: { close(): Promise<void> } | undefined;
  let redirect: { close(): Promise<void> } | undefined;
  const reload = () => void routes.reload();
  app.addHook('onReady', async () => {
    upstreams.start();
    if (deps.identity === undefined) await identity.revocations?.start();
    if (transport !== undefined) {
      await transport.start();
      purge = await startCachePurge({
        transport,
        // An in-process cache needs every replica to hear each purge; a shared one, one of them.
        group: config.REDIS_URL ? 'gateway.cache-purge' : `gateway.cache-purge.${deps.instanceId ?? 'local'}`,
        purgeOn: routes.current().file.purgeOn ?? {},
        cache,
        logger,
      });
    } else {
      logger.warn(
        'no event bus configured: cached responses expire by TTL only (set BUS_DATABASE_URL or AMQP_URL)',
      );
    }
    if (tlsOptions !== undefined && config.HTTP_REDIRECT_PORT !== undefined) {
      redirect = await startHttpsRedirect({
        port: config.HTTP_REDIRECT_PORT,
        host: config.HOST,
        httpsPort: config.PORT,
        logger,
      });
    }
    process.on('SIGHUP', reload);
  });
  app.addHook('onClose', async () => {
    process.off('SIGHUP', reload);
    await redirect?.close();
    routes.stop();
    await purge?.close();
    await transport?.close();
    if (deps.identity === undefined) identity.revocations?.stop();
    await Promise.all([upstreams.close(), limiter.close(), cache.close(), tokenClient.close()]);
  });
  return app;
}

function busTransport(config: GatewayConfig, logger: Logger): Transport | undefined {
  const named = config.EVENTS_TRANSPORT === 'rabbitmq' ? config.AMQP_URL : config.BUS_DATABASE_URL;
  if (named === undefined) return undefined;
  return transportFromConfig({ EVENTS_TRANSPORT: config.EVENTS_TRANSPORT ?? 'postgres', ...config }, logger);
}

/** The edge settings' parsers name the variable and the bad entry; that is a config error (one line, exit 1). */
function asConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof Error && !(err instanceof ConfigError))
      throw new ConfigError(`config: ${err.message}`);
    throw err;
  }
}
