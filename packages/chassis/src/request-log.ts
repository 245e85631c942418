import type { IncomingMessage } from 'node:http';
import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { type Bindings, type ChildLoggerOptions, type Logger, pino } from 'pino';
import { type FlatFields, flatInfoWriter } from './flat-line.ts';
import type { HttpMetrics } from './metrics.ts';
import { currentTraceId } from './tracing/trace-id.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * What a handler adds to the request's one completion line (a proxy: upstream, cache, rate
     * limit): flat, scalar, never secret. `route` here also replaces the route template as the metrics label, for apps that
     * route by their own table behind one wildcard route.
     */
    logFields: (FlatFields & { route?: string }) | undefined;
  }
}

const LEVEL_VALUES: Record<string, number> = pino.levels.values;
const REQUEST_ID_LABEL = 'request_id';
type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * `request.log`: a pino child bound to `request_id` (and `trace_id`), made only when something
 * actually logs through it. Most requests log nothing but their completion line, and creating a
 * pino child per request was the single most expensive thing the chassis did per request.
 */
export class RequestLogger {
  readonly parent: Logger;
  readonly bindings: Bindings;
  private readonly options: ChildLoggerOptions;
  private child_: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings, options: ChildLoggerOptions) {
    this.parent = parent;
    this.bindings = bindings;
    this.options = options;
  }

  get level(): string {
    return this.child_?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.materialize().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (LEVEL_VALUES[level] ?? Number.POSITIVE_INFINITY) >= (LEVEL_VALUES[this.level] ?? 0);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.materialize().child(bindings, options);
  }

  private write(level: LevelName, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    (this.materialize()[level] as (...a: unknown[]) => void)(...args);
  }

  private materialize(): Logger {
    this.child_ ??= this.parent.child(this.bindings, this.options);
    return this.child_;
  }
}

/**
 * Fastify `childLoggerFactory`: the lazy request logger, bound to `request_id` and, when there is
 * a trace (active span, else the incoming traceparent), `trace_id`.
 */
export function createRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
  rawReq: IncomingMessage,
): FastifyBaseLogger {
  const traceparent = rawReq.headers.traceparent;
  const traceId = currentTraceId(typeof traceparent === 'string' ? traceparent : undefined);
  if (traceId !== undefined) bindings.trace_id = traceId;
  return new RequestLogger(logger as Logger, bindings, options) as unknown as FastifyBaseLogger;
}

/**
 * What happens once per finished request: the duration histogram is observed and exactly one log
 * line is written, carrying the route template and the duration (Fastify's default is two lines:
 * "incoming" and "completed"). Fastify calls `requestCompleted` for every response, 404s and
 * errors included, so the metric needs no onResponse hook of its own.
 */
export class RequestLogController extends LogController {
  readonly #metrics: HttpMetrics;

  constructor(metrics: HttpMetrics) {
    super({ requestIdLogLabel: REQUEST_ID_LABEL });
    this.#metrics = metrics;
  }

  override incomingRequest(): void {}

  override routeNotFound(): void {} // the completion line already says 404

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = request.logFields;
    const route = fields?.route ?? request.routeOptions.url;
    this.#metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const log = reply.log as unknown as RequestLogger | Logger;
    // Probes and other routes with a quieter logLevel skip building the line at all.
    if (!log.isLevelEnabled(error ? 'error' : 'info')) return;
    // Written through the parent with the bindings inlined: the same line, without a child logger.
    const lazy = log instanceof RequestLogger ? log : undefined;
    const line = {
      request_id: lazy?.bindings[REQUEST_ID_LABEL],
      trace_id: lazy?.bindings.trace_id,
      method: request.method,
      url: request.url,
      route,
      status_code: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
      ...fields,
    };
    const target = lazy?.parent ?? log;
    if (error) {
      target.error({ ...line, err: error }, 'response failed');
    } else {
      flatInfoWriter(target as Logger)(line, 'request completed');
    }
  }
}
