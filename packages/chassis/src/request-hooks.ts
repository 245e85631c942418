import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { App } from './app.ts';
import { type RequestContext, runWithRequestContext } from './context.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The context the handler runs in (set before validation; null for requests refused earlier). */
    requestContext: RequestContext | null;
  }
}

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The work every request does around its handler, in two cheap hooks: onRequest echoes the request
 * id and sets the security headers (so even a 404 or 415 carries them); preValidation, the first
 * point where the body has been parsed, runs the rest of the request (validation, preHandler hooks,
 * handler) inside its RequestContext, so logs and outbound calls see the request id and traceparent.
 * It is entered there and not in onRequest because body parsing continues in the socket's async
 * context, which would drop a context entered earlier.
 */
export function registerRequestHooks(app: App, headers: ReadonlyArray<readonly [string, string]>): void {
  app.decorateRequest('requestContext', null);
  app.decorateRequest('logFields', undefined);

  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    // Indexed, not `for (const [name, value] of ...)`: no iterator per pair on every request.
    for (let i = 0; i < headers.length; i++) {
      const header = headers[i] as readonly [string, string];
      reply.header(header[0], header[1]);
    }
    done();
  });

  app.addHook(
    'preValidation',
    (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const traceparent = request.headers.traceparent;
      const ctx: RequestContext =
        typeof traceparent === 'string' && TRACEPARENT.test(traceparent)
          ? { requestId: request.id, traceparent }
          : { requestId: request.id };
      request.requestContext = ctx;
      runWithRequestContext(ctx, done);
    },
  );
}
