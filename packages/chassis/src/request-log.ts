import type { IncomingMessage } from 'node:http';
import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';
import { currentTraceId } from './tracing/trace-id.ts';

/**
 * Exactly one log line per request, written when the response is finished, carrying the
 * route template and the duration (Fastify's default is two lines: "incoming" and "completed").
 * Every request-scoped line carries `request_id` (the child logger binding set by Fastify).
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'request_id' });
  }

  override incomingRequest(): void {}

  override routeNotFound(): void {} // the completion line already says 404

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: request.url,
      route: request.routeOptions.url,
      status_code: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
    };
    if (error) {
      reply.log.error({ ...line, err: error }, 'response failed');
    } else {
      reply.log.info(line, 'request completed');
    }
  }
}

/**
 * Fastify `childLoggerFactory`: adds `trace_id` (active span, else the incoming traceparent)
 * to the per-request logger, so every line logged for the request can be joined with its trace.
 */
export function childLoggerWithTraceId(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
  rawReq: IncomingMessage,
): FastifyBaseLogger {
  const traceparent = rawReq.headers.traceparent;
  const traceId = currentTraceId(typeof traceparent === 'string' ? traceparent : undefined);
  if (traceId !== undefined) bindings.trace_id = traceId;
  return logger.child(bindings, options);
}
