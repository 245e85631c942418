// What the gateway itself adds to every published operation: the shared problem+json error
// schema, the standard error responses (its own refusals and upstream failures), the rate-limit
// headers, and the two ways to authenticate.
import type { AuthRule, RouteSpec } from '../routes/route-table-schema.ts';
import { isJsonObject, type JsonObject } from './openapi-types.ts';

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const problemContent = { 'application/problem+json': { schema: PROBLEM_REF } };

/** RFC 9457 problem details as every ShopNow service and the gateway send them. */
const PROBLEM_SCHEMA: JsonObject = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json)',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', description: 'Problem type URI, e.g. urn:shopnow:problem:not_found' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 100, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request path' },
    code: { type: 'string', description: 'Stable machine-readable error code' },
    request_id: { type: 'string', description: 'Quote it to support (also in X-Request-ID)' },
    errors: {
      type: 'array',
      description: 'Each invalid input',
      items: {
        type: 'object',
        required: ['in', 'field', 'message'],
        properties: {
          in: { type: 'string', enum: ['body', 'querystring', 'params', 'headers'] },
          field: { type: 'string', description: 'JSON pointer inside `in`' },
          message: { type: 'string' },
        },
      },
    },
  },
  additionalProperties: true,
};

const HEADERS: JsonObject = {
  RateLimit: {
    description:
      'Remaining quota of the policy closest to its limit (IETF draft-ietf-httpapi-ratelimit-headers-10), e.g. `"default";r=0;t=42`',
    schema: { type: 'string' },
  },
  RateLimitPolicy: {
    description: 'The quota policies applied to this request (draft 10 syntax), e.g. `"default";q=100;w=60`',
    schema: { type: 'string' },
  },
  RetryAfter: {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 0 },
  },
};

const response = (description: string, extra: JsonObject = {}): JsonObject => ({
  description,
  ...extra,
  content: problemContent,
});

/** Shared error responses, keyed by status code; the document refers to them by `$ref`. */
const RESPONSES: Record<string, { name: string; value: JsonObject }> = {
  '400': { name: 'BadRequest', value: response('Malformed request: invalid path, query, headers or body') },
  '401': {
    name: 'Unauthorized',
    value: response('Missing, invalid, expired or revoked bearer token or API key', {
      headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
    }),
  },
  '403': { name: 'Forbidden', value: response('Authenticated, but not allowed to do this') },
  '404': { name: 'NotFound', value: response('No such resource') },
  '413': { name: 'ContentTooLarge', value: response('Request body larger than this route accepts') },
  '429': {
    name: 'TooManyRequests',
    value: response('Rate limit exceeded: wait Retry-After seconds', {
      headers: {
        'Retry-After': { $ref: '#/components/headers/RetryAfter' },
        RateLimit: { $ref: '#/components/headers/RateLimit' },
        'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' },
      },
    }),
  },
  '500': { name: 'InternalError', value: response('Unexpected error') },
  '502': { name: 'BadGateway', value: response('The upstream service failed or answered invalidly') },
  '503': {
    name: 'ServiceUnavailable',
    value: response('No healthy upstream instance, circuit open, or overloaded', {
      headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
    }),
  },
  '504': { name: 'GatewayTimeout', value: response('The upstream service did not answer in time') },
};

/** The components the gateway's own additions refer to; merged into every published document. */
export function gatewayComponents(): Record<string, Record<string, unknown>> {
  return {
    schemas: { Problem: structuredClone(PROBLEM_SCHEMA) },
    headers: structuredClone(HEADERS),
    responses: Object.fromEntries(Object.values(RESPONSES).map((r) => [r.name, structuredClone(r.value)])),
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Access token from POST /api/auth/login (or /api/auth/refresh)',
      },
      apiKey: {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'An API key from /api/api-keys',
      },
    },
  };
}

/** Operation `security` for a route's auth rule: public needs nothing, the rest a token or a key. */
export function securityFor(auth: AuthRule): JsonObject[] {
  return auth === 'public' ? [] : [{ bearerAuth: [] }, { apiKey: [] }];
}

/** A sentence for the operation's description saying who may call it. */
export function authSentence(auth: AuthRule): string {
  if (auth === 'public') return 'Public: no authentication needed.';
  if (auth === 'user') return 'Requires authentication: a bearer token or an API key.';
  return `Requires authentication and one of the roles: ${auth.roles.join(', ')}.`;
}

/**
 * Adds the standard error responses an operation can get through the gateway, without replacing
 * a response the service documents itself: 400, 429, 500, 502, 503, 504 always; 401 and 403
 * when the route needs authentication (403 also when it has an IP allow/deny list); 404 when the
 * path has parameters; 413 when there is a request body.
 */
export function addStandardErrors(
  operation: JsonObject,
  route: Pick<RouteSpec, 'auth' | 'ipAllow' | 'ipDeny'>,
  options: { hasPathParams: boolean; hasBody: boolean },
): void {
  const responses: JsonObject = isJsonObject(operation.responses) ? operation.responses : {};
  operation.responses = responses;
  const codes = ['400'];
  if (route.auth !== 'public') codes.push('401', '403');
  else if (route.ipAllow !== undefined || route.ipDeny !== undefined) codes.push('403');
  if (options.hasPathParams) codes.push('404');
  if (options.hasBody) codes.push('413');
  codes.push('429', '500', '502', '503', '504');
  for (const code of codes) {
    const shared = RESPONSES[code];
    if (shared !== undefined && !(code in responses)) {
      responses[code] = { $ref: `#/components/responses/${shared.name}` };
    }
  }
}
