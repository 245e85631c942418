import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { App } from './app.ts';
import { getRequestContext, type RequestContext, runWithRequestContext } from './context.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's context, re-entered after body parsing (see below). */
    requestContext: RequestContext | null;
  }
}

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The work every request does before routing to a handler, in one hook to keep the hot path
 * short: echo the request id, set the security headers, and run the rest of the request inside
 * its RequestContext (so outbound calls propagate the id and traceparent).
 */
export function registerRequestHooks(app: App, headers: ReadonlyArray<readonly [string, string]>): void {
  app.decorateRequest('requestContext', null);

  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    for (const [name, value] of headers) reply.header(name, value);
    const traceparent = request.headers.traceparent;
    const ctx: RequestContext =
      typeof traceparent === 'string' && TRACEPARENT.test(traceparent)
        ? { requestId: request.id, traceparent }
        : { requestId: request.id };
    request.requestContext = ctx;
    runWithRequestContext(ctx, done);
  });

  // Body parsing continues in the socket's async context, not ours: re-enter before validation
  // and the handler. A no-op check for requests without a body.
  app.addHook(
    'preValidation',
    (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const ctx = request.requestContext;
      if (ctx !== null && getRequestContext() !== ctx) runWithRequestContext(ctx, done);
      else done();
    },
  );
}
