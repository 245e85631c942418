import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorDef } from './errors.ts';

/** One invalid input: `field` is a JSON pointer inside `in` (`/price`, `/items/0/sku`). */
export interface FieldError {
  in: 'body' | 'querystring' | 'params' | 'headers';
  field: string;
  message: string;
}

/** RFC 9457 problem details plus our stable `code` and the `request_id` to quote to support. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code: string;
  request_id: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
export const PROBLEM_TYPE_PREFIX = 'urn:shopnow:problem:';

/** Headers that must not make an error response cacheable or look like the resource. */
const RESOURCE_HEADERS = ['cache-control', 'etag', 'last-modified'];

export interface ProblemParts {
  detail?: string | undefined;
  errors?: FieldError[] | undefined;
  extra?: Record<string, unknown> | undefined;
}

export function buildProblem(def: ErrorDef, request: FastifyRequest, parts: ProblemParts = {}): Problem {
  // Members in RFC 9457 order, then ours, then extensions (which cannot overwrite any of them).
  const problem: Problem = {
    type: PROBLEM_TYPE_PREFIX + def.code,
    title: def.title,
    status: def.status,
    ...(parts.detail === undefined ? {} : { detail: parts.detail }),
    instance: requestPath(request),
    code: def.code,
    request_id: request.id,
  };
  if (parts.errors !== undefined && parts.errors.length > 0) problem.errors = parts.errors;
  if (parts.extra !== undefined) {
    for (const [key, value] of Object.entries(parts.extra)) {
      if (!(key in problem)) problem[key] = value;
    }
  }
  return problem;
}

/** Send `def` as `application/problem+json`; the one way every error leaves a service. */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  def: ErrorDef,
  parts?: ProblemParts,
): FastifyReply {
  for (const name of RESOURCE_HEADERS) reply.removeHeader(name);
  // Framework errors (bad URL) skip onRequest hooks, so make sure the id is echoed here too.
  reply.header('x-request-id', request.id);
  return reply
    .code(def.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(buildProblem(def, request, parts));
}

/** The request path without its query string (the problem's `instance`). */
export function requestPath(request: FastifyRequest): string {
  const url = request.url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
