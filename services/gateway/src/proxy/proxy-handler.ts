// One proxied request, in the order the edge must do things: a path that cannot escape its
// prefix → the route → who may come from where → who is calling and may they → how often →
// which upstream (canary) → headers the gateway vouches for → the cache or the upstream → the
// route's response shaping. Every refusal is an AppError, rendered as problem+json by the chassis.
import { randomFillSync } from 'node:crypto';
import { AppError, commonErrors, isTracingStarted } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedCaller } from '../auth/authenticate-caller.ts';
import { authorizeRoute } from '../auth/authorize-route.ts';
import { cacheKey, notModified } from '../cache/index.ts';
import { clientIpBehind, clientIpOf, forwardedProtoOf, peerOf } from '../edge/client-ip.ts';
import { gatewayErrors } from '../errors.ts';
import { rateLimitHeaders } from '../ratelimit/headers.ts';
import { pickUpstream } from '../routes/canary.ts';
import { matchRoute, methodsAllowedFor, type RouteMatch } from '../routes/match-route.ts';
import { isPathError, normalizePath } from '../routes/normalize-path.ts';
import { upstreamPath } from '../routes/rewrite.ts';
import type { AuthRule } from '../routes/route-table-schema.ts';
import { transformJsonBody } from '../shaping/body-ops.ts';
import { forwardHeaders, responseHeadersFromUpstream } from '../shaping/forward-headers.ts';
import { applyHeaderOps } from '../shaping/header-ops.ts';
import { readBody } from '../upstream/upstream-set.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';

type Headers = Record<string, string | string[] | undefined>;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export function createProxyHandler(rt: GatewayRuntime) {
  return async function proxy(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const socket = request.raw.socket;
    const peer = peerOf(socket, rt.trustedProxies);
    const trustedPeer = peer?.trusted ?? false;
    const clientIp =
      peer === undefined
        ? clientIpOf(socket.remoteAddress, undefined, rt.trustedProxies)
        : clientIpBehind(peer, request.headers['x-forwarded-for'], rt.trustedProxies);
    const fields: NonNullable<FastifyRequest['logFields']> = { client_ip: clientIp };
    request.logFields = fields;

    const target = normalizePath(request.raw.url ?? '/', { maxLength: rt.maxUrlLength });
    if (isPathError(target)) {
      throw new AppError(
        target.status === 414 ? commonErrors.uri_too_long : gatewayErrors['gateway.bad_path'],
        target.error,
      );
    }
    const table = rt.routes.current();
    const routeRequest = {
      method: request.method,
      host: request.headers.host,
      path: target.path,
      headers: request.headers,
    };
    const match = matchRoute(table, routeRequest);
    if (match === undefined) throw noRoute(reply, methodsAllowedFor(table, routeRequest));
    const route = match.route;
    fields.route = route.name;

    if (route.clientAllowed !== undefined && !route.clientAllowed(clientIp))
      throw new AppError(gatewayErrors['gateway.ip_denied']);
    const body = request.body as Buffer | undefined;
    if (route.bodyLimitBytes !== undefined && body !== undefined && body.length > route.bodyLimitBytes) {
      throw new AppError(commonErrors.body_too_large, `Request body exceeds ${route.bodyLimitBytes} bytes`);
    }

    // A known token or no credentials are answered synchronously, sparing the promises per request.
    const caller =
      authenticateSync(rt, request, reply, route.auth, clientIp) ??
      (await authenticate(rt, request, reply, route.auth, clientIp));
    if (caller.user !== undefined) fields.user_id = caller.user.userId;

    // In process (no Redis) the check answers synchronously, sparing a promise per request.
    const limit =
      rt.limiter.checkSync(caller.caller, clientIp, route.rateLimit) ??
      (await rt.limiter.check(caller.caller, clientIp, route.rateLimit));
    reply.headers(rateLimitHeaders(limit));
    if (limit.decision !== undefined) fields.ratelimit_remaining = limit.decision.remaining;
    if (!limit.allowed) {
      throw new AppError(gatewayErrors['gateway.rate_limited'], `The ${limit.policy} limit is reached`, {
        retry_after: limit.decision?.retryAfterSeconds,
      });
    }

    const upstream = pickUpstream(route, caller.stickyKey, (name) => rt.upstreams.hasInstances(name));
    fields.upstream = upstream;
    const headers = forwardHeaders(request.headers, {
      requestId: request.id,
      clientIp,
      forwardedProto: forwardedProtoOf(rt.tls, request.headers['x-forwarded-proto'], trustedPeer),
      host: request.headers.host,
      user: caller.user === undefined ? undefined : { id: caller.user.userId, roles: caller.user.roles },
      authorization: caller.authorization,
      traceparent: traceparentFor(request),
    });
    applyHeaderOps(headers, route.transform?.request?.headers);
    // A body transform needs the body as JSON text, not compressed.
    if (route.responseBody !== undefined) headers['accept-encoding'] = 'identity';
    const path = upstreamPath(match, target.query);

    if (route.cache !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
      return serveCached(rt, request, reply, { match, upstream, path, headers, caller });
    }
    const response = await rt.upstreams.forward(upstream, {
      method: request.method,
      path,
      headers,
      body,
      // A write carrying an Idempotency-Key is safe to send again: the service replays its first answer.
      idempotent: IDEMPOTENT.has(request.method) || request.headers['idempotency-key'] !== undefined,
      timeoutMs: route.timeoutMs,
      stream: route.stream,
    });
    fields.upstream_ms = Math.round(response.upstreamMs * 1000) / 1000;
    const out = responseHeadersFromUpstream(response.headers, {
      keepContentLength: route.responseBody === undefined,
    });
    applyHeaderOps(out, route.transform?.response?.headers);
    reply.code(response.status);
    if (route.responseBody === undefined) return reply.headers(out).send(response.body);
    const transformed = transformJsonBody(
      await readBody(response.body),
      headerValue(out['content-type']),
      route.responseBody,
    );
    // The upstream's validator describes the body before the transform.
    if (transformed !== undefined) delete out.etag;
    return reply.headers(out).send(transformed ?? Buffer.from(''));
  };
}

interface CachedRequest {
  match: RouteMatch;
  upstream: string;
  path: string;
  headers: Record<string, string | string[]>;
  caller: AuthenticatedCaller;
}

async function serveCached(
  rt: GatewayRuntime,
  request: FastifyRequest,
  reply: FastifyReply,
  { match, upstream, path, headers, caller }: CachedRequest,
): Promise<unknown> {
  const route = match.route;
  const settings = route.cache!;
  const vary = (settings.vary ?? []).map((name) => headerValue(request.headers[name.toLowerCase()]) ?? '');
  const key = cacheKey(route, 'GET', request.headers.host ?? '', path, vary);
  const fields = request.logFields!;
  const served = await rt.cache.serve(
    {
      key,
      tags: settings.tags ?? [],
      settings,
      authenticated: caller.user !== undefined,
      requestCacheControl: headerValue(request.headers['cache-control']),
    },
    async () => {
      // HEAD shares GET's entry, so the cache is always filled with a GET, and unconditionally:
      // the client's validators are answered from the stored entry, a 304 could not be stored.
      const { 'if-none-match': _inm, 'if-modified-since': _ims, ...unconditional } = headers;
      const response = await rt.upstreams.forward(upstream, {
        method: 'GET',
        path,
        headers: unconditional,
        idempotent: true,
        timeoutMs: route.timeoutMs,
      });
      fields.upstream_ms = Math.round(response.upstreamMs * 1000) / 1000;
      const out = responseHeadersFromUpstream(response.headers);
      applyHeaderOps(out, route.transform?.response?.headers);
      let body = await readBody(response.body);
      if (route.responseBody !== undefined) {
        const transformed = transformJsonBody(body, headerValue(out['content-type']), route.responseBody);
        if (transformed !== undefined) {
          body = transformed;
          delete out.etag; // the cache computes one for the body it stores
        }
      }
      return { status: response.status, headers: out, body };
    },
  );
  fields.cache = served.state;
  reply.header('x-cache', served.state);
  const response = served.response;
  const etag = 'etag' in response ? response.etag : headerValue(response.headers.etag);
  const answer: Headers = { ...response.headers };
  if ('storedAtMs' in response)
    answer.age = String(Math.max(0, Math.floor((Date.now() - response.storedAtMs) / 1000)));
  if (
    response.status === 200 &&
    etag !== undefined &&
    notModified(headerValue(request.headers['if-none-match']), etag)
  ) {
    return reply.code(304).headers(conditionalHeaders(answer)).send();
  }
  return reply.code(response.status).headers(answer).send(response.body);
}

/** A 304 repeats only the validators and caching headers (RFC 9110 §15.4.5). */
function conditionalHeaders(headers: Headers): Headers {
  const kept: Headers = {};
  for (const name of ['etag', 'cache-control', 'expires', 'vary', 'content-location', 'date', 'age']) {
    if (headers[name] !== undefined) kept[name] = headers[name];
  }
  return kept;
}

async function authenticate(
  rt: GatewayRuntime,
  request: FastifyRequest,
  reply: FastifyReply,
  rule: AuthRule,
  clientIp: string,
): Promise<AuthenticatedCaller> {
  try {
    const caller = await rt.authenticator.authenticate(request.headers, clientIp);
    authorizeRoute(rule, caller.user);
    return caller;
  } catch (err) {
    throw challenge(reply, err);
  }
}

/** authenticate() when the authenticator can answer synchronously; undefined otherwise. */
function authenticateSync(
  rt: GatewayRuntime,
  request: FastifyRequest,
  reply: FastifyReply,
  rule: AuthRule,
  clientIp: string,
): AuthenticatedCaller | undefined {
  try {
    const caller = rt.authenticator.authenticateSync(request.headers, clientIp);
    if (caller !== undefined) authorizeRoute(rule, caller.user);
    return caller;
  } catch (err) {
    throw challenge(reply, err);
  }
}

/** RFC 6750: a 401 names the scheme the client should use. */
function challenge(reply: FastifyReply, err: unknown): unknown {
  if (err instanceof AppError && err.def.status === 401)
    reply.header('www-authenticate', 'Bearer realm="shopnow"');
  return err;
}

function noRoute(reply: FastifyReply, allowed: string[]): AppError {
  if (allowed.length === 0) return new AppError(commonErrors.route_not_found);
  reply.header('allow', allowed.join(', '));
  return new AppError(commonErrors.method_not_allowed, `This path accepts ${allowed.join(', ')}`);
}

/**
 * With tracing on, the undici instrumentation sends the gateway's own span. Without it, the
 * client's well-formed traceparent goes on, or the gateway starts a trace, so every service's
 * logs of one request share a trace id either way.
 */
function traceparentFor(request: FastifyRequest): string | undefined {
  if (isTracingStarted()) return undefined;
  const incoming = request.requestContext?.traceparent;
  if (incoming !== undefined) return incoming;
  const minted = `00-${randomHex(16)}-${randomHex(8)}-01`;
  return minted;
}

// Random bytes for minted trace ids, drawn from a pool refilled 4 KiB at a time: one
// randomBytes() call per id cost ~6% of the gateway's CPU under load (bench/gateway profile).
const RANDOM_POOL = Buffer.alloc(4096);
let randomOffset = RANDOM_POOL.length;

function randomHex(bytes: number): string {
  if (randomOffset + bytes > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    randomOffset = 0;
  }
  const hex = RANDOM_POOL.toString('hex', randomOffset, randomOffset + bytes);
  randomOffset += bytes;
  return hex;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
