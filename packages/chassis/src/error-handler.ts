import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type AppError, commonErrors, type ErrorDef, errorForStatus, isAppError } from './errors.ts';
import { type ProblemParts, requestPath, sendProblem } from './problem.ts';
import { toFieldErrors } from './validation.ts';

/** Fastify's own errors that have a precise catalog entry. */
const FASTIFY_CODES: Record<string, ErrorDef> = {
  FST_ERR_CTP_INVALID_JSON_BODY: commonErrors.invalid_json,
  FST_ERR_CTP_EMPTY_JSON_BODY: commonErrors.invalid_json,
  FST_ERR_CTP_BODY_TOO_LARGE: commonErrors.body_too_large,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: commonErrors.unsupported_media_type,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: commonErrors.bad_request,
  FST_ERR_BAD_URL: commonErrors.bad_request,
  FST_ERR_HANDLER_TIMEOUT: commonErrors.unavailable,
};

interface Classified {
  def: ErrorDef;
  parts: ProblemParts;
}

/** Decide what the client sees for any thrown value. Only 4xx errors may carry their message. */
export function classifyError(error: unknown, request: FastifyRequest): Classified {
  if (isAppError(error)) return fromAppError(error);
  const err = (error ?? {}) as Partial<FastifyError>;
  if (Array.isArray(err.validation)) {
    const errors = toFieldErrors(err.validation, err.validationContext);
    const detail = errors.map((e) => `${e.field} ${e.message}`).join('; ');
    return { def: commonErrors.validation_failed, parts: { detail, errors } };
  }
  const known = err.code === undefined ? undefined : FASTIFY_CODES[err.code];
  if (known === commonErrors.unsupported_media_type) {
    const type = request.headers['content-type'];
    return {
      def: known,
      parts: { detail: `Content-Type ${JSON.stringify(type ?? '')} is not accepted here` },
    };
  }
  if (known === commonErrors.body_too_large) {
    return { def: known, parts: { detail: `Request body exceeds ${request.routeOptions.bodyLimit} bytes` } };
  }
  if (known !== undefined) {
    return { def: known, parts: known.status < 500 ? { detail: err.message } : {} };
  }
  const status = err.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { def: errorForStatus(status), parts: { detail: err.message } };
  }
  if (typeof status === 'number' && status > 500 && status < 600) {
    return { def: errorForStatus(status), parts: {} };
  }
  return { def: commonErrors.internal, parts: {} };
}

function fromAppError(error: AppError): Classified {
  return { def: error.def, parts: { detail: error.detail, extra: error.extra } };
}

/** `app.setErrorHandler`: every error becomes a problem+json; only server faults are logged loudly. */
export function problemErrorHandler(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const { def, parts } = classifyError(error, request);
  if (def.status >= 500) {
    request.log.error({ err: error }, 'request failed');
  } else {
    request.log.debug({ err: error }, 'request rejected');
  }
  return sendProblem(reply, request, def, parts);
}

/** `app.setNotFoundHandler`. */
export function routeNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, request, commonErrors.route_not_found, {
    detail: `No route for ${request.method} ${requestPath(request)}`,
  });
}

/**
 * Fastify `frameworkErrors` (bad URL encoding, over-long path parameter): raised before the
 * onRequest hooks, so the security headers are added here.
 */
export function frameworkErrorHandler(headers: ReadonlyArray<readonly [string, string]>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    for (const [name, value] of headers) reply.header(name, value);
    problemErrorHandler(error, request, reply);
  };
}

/**
 * Errors raised before a request exists (header too large, malformed request line, timeouts):
 * Fastify hands us the raw socket, so write a minimal problem+json response by hand.
 */
export function clientErrorHandler(
  this: { log: FastifyBaseLogger },
  err: NodeJS.ErrnoException,
  socket: Socket,
) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const def =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? commonErrors.headers_too_large
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? commonErrors.request_timeout
        : commonErrors.bad_request;
  this.log.debug({ err }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify({
      type: `urn:shopnow:problem:${def.code}`,
      title: def.title,
      status: def.status,
      code: def.code,
    });
    socket.write(
      `HTTP/1.1 ${def.status} ${STATUS_CODES[def.status]}\r\nConnection: close\r\n` +
        `Content-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
