import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type pg from 'pg';
import type { DestinationStream, Logger } from 'pino';
import type { Registry } from 'prom-client';
import { registerPoolMetrics } from './db/pool-metrics.ts';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  problemErrorHandler,
  routeNotFoundHandler,
} from './error-handler.ts';
import { type ReadinessCheck, registerHealthRoutes } from './health.ts';
import { createLogger } from './logging.ts';
import { createHttpMetrics, createMetricsRegistry } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { registerRequestHooks } from './request-hooks.ts';
import { requestIdFor } from './request-id.ts';
import { createRequestLogger, RequestLogController } from './request-log.ts';
import { securityHeaders } from './security.ts';
import { validatorCompiler } from './validation.ts';

/** A service's Fastify instance: TypeBox schemas type the handlers. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What the chassis hangs on every app (`app.shopnow`). */
export interface ShopnowApi {
  readonly service: string;
  readonly version: string;
  readonly metrics: Registry;
  /** Readiness turns 503 from now on; called first thing at shutdown. */
  markShuttingDown(): void;
  isShuttingDown(): boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    shopnow: ShopnowApi;
  }
}

export interface CreateAppOptions {
  service: string;
  version: string;
  /** pino level when the chassis creates the logger; default `info`. */
  logLevel?: string | undefined;
  /** A logger from createLogger (runService passes its own); else one is created. */
  logger?: Logger | undefined;
  /** Where a created logger writes (tests capture lines here); default stdout. */
  logStream?: DestinationStream | undefined;
  /** Max request body in bytes; default 1 MiB (BODY_LIMIT_BYTES). */
  bodyLimit?: number | undefined;
  /** Max total size of request line + headers; default 16 KiB, larger gets 431. */
  maxHeaderSize?: number | undefined;
  /** Max length of one path parameter; longer matches no route (404). Default 100. */
  maxParamLength?: number | undefined;
  /** The service's pool: readiness runs `select 1` on it and /metrics shows its gauges. */
  db?: pg.Pool | undefined;
  /** Other dependencies readiness must see healthy, by name. */
  readiness?: Record<string, ReadinessCheck> | undefined;
  /** Bound on each readiness check; default 2000 ms. */
  readinessTimeoutMs?: number | undefined;
  /** Override or drop (`false`) security headers, e.g. a CORP for images used cross-origin. */
  securityHeaders?: Record<string, string | false> | undefined;
  /** OpenAPI `info.description`. */
  description?: string | undefined;
  /**
   * Fastify server options applied over the chassis defaults: the public edge (the gateway)
   * terminates TLS (`https`) and tightens the node:http timeouts and limits.
   */
  serverOptions?: Record<string, unknown> | undefined;
}

/**
 * The chassis in one call: a Fastify app with logging, request ids, problem+json errors,
 * validation, security headers and limits, health, metrics and OpenAPI wired in. The service
 * adds its routes to the returned app; nothing else is needed for production behaviour.
 */
export async function createApp(options: CreateAppOptions): Promise<App> {
  const { service, version } = options;
  const logger =
    options.logger ??
    createLogger({ service, version, level: options.logLevel ?? 'info', stream: options.logStream });

  const headers = securityHeaders(options.securityHeaders);
  const registry = createMetricsRegistry(service, version);
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new RequestLogController(createHttpMetrics(registry)),
    childLoggerFactory: createRequestLogger,
    genReqId: requestIdFor,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    http: { maxHeaderSize: options.maxHeaderSize ?? 16_384 },
    routerOptions: { maxParamLength: options.maxParamLength ?? 100 },
    // Whole request (headers + body) must arrive within 30 s: slow-client (slowloris) protection.
    requestTimeout: 30_000,
    // During drain, a request on a kept-alive connection is still served (with Connection: close)
    // rather than refused: the caller gets its answer and reconnects to another instance.
    return503OnClosing: false,
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler(headers),
    ...options.serverOptions,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler(routeNotFoundHandler);
  // JSON only: text/plain (a Fastify default) and anything else is 415, not a string body.
  app.removeContentTypeParser('text/plain');

  let shuttingDown = false;
  app.decorate('shopnow', {
    service,
    version,
    metrics: registry,
    markShuttingDown: () => {
      shuttingDown = true;
    },
    isShuttingDown: () => shuttingDown,
  } satisfies ShopnowApi);
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });

  registerRequestHooks(app, headers);

  if (options.db !== undefined) registerPoolMetrics(registry, options.db);
  app.get('/metrics', { logLevel: 'warn', schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });

  registerHealthRoutes(app, {
    db: options.db,
    checks: options.readiness,
    timeoutMs: options.readinessTimeoutMs,
    isShuttingDown: () => shuttingDown,
  });
  await registerOpenApi(app, { service, version, description: options.description });
  return app;
}
