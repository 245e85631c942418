// What every request meets before routing: ambiguous framing and oversized requests refused,
// CORS (preflights answered here, headers on every answer), and /metrics kept to the networks
// that scrape it, and HSTS on every answer the client gets over HTTPS.

import type { BlockList } from 'node:net';
import type { App } from '@shopnow/chassis';
import { AppError, commonErrors } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientIpOf, forwardedProtoOf, peerOf } from '../edge/client-ip.ts';
import { type CorsPolicy, compileCors, isPreflight, mergeVary } from '../edge/cors.ts';
import { compileIpRules } from '../edge/ip-filter.ts';
import { contentLengthTooLarge, type EdgeLimits, smugglingCheck, urlTooLong } from '../edge/limits.ts';
import { gatewayErrors } from '../errors.ts';
import type { CorsSettings } from '../routes/route-table-schema.ts';

export interface EdgeHookOptions {
  /** The route table's CORS settings now (they change on reload). */
  cors: () => CorsSettings | undefined;
  limits: EdgeLimits;
  /** CIDRs that may read /metrics. */
  metricsAllow: string;
  trustedProxies: BlockList;
  /** Whether the gateway terminates TLS itself. */
  tls: boolean;
  /** The Strict-Transport-Security value for HTTPS answers (edge/tls.ts hstsHeader). */
  hsts: string;
}

export function registerEdgeHooks(app: App, options: EdgeHookOptions): void {
  let compiledFrom: CorsSettings | undefined;
  let policy: CorsPolicy = compileCors(undefined);
  const corsPolicy = (): CorsPolicy => {
    const settings = options.cors();
    if (settings !== compiledFrom) {
      policy = compileCors(settings);
      compiledFrom = settings;
    }
    return policy;
  };
  const metricsAllowed = compileIpRules({ allow: options.metricsAllow.split(/[\s,]+/).filter(Boolean) });

  /** The checks; true when the request was answered here (a preflight). */
  const check = (request: FastifyRequest, reply: FastifyReply): boolean => {
    // First, so a refusal answered over HTTPS carries it too.
    const trustedPeer = peerOf(request.raw.socket, options.trustedProxies)?.trusted ?? false;
    if (forwardedProtoOf(options.tls, request.headers['x-forwarded-proto'], trustedPeer) === 'https') {
      reply.header('strict-transport-security', options.hsts);
    }
    const ambiguous = smugglingCheck(request.headers, request.raw.rawHeaders, request.raw.httpVersion);
    if (ambiguous !== undefined) {
      reply.header('connection', 'close');
      throw new AppError(commonErrors.bad_request, ambiguous);
    }
    if (urlTooLong(request.raw.url, options.limits)) throw new AppError(commonErrors.uri_too_long);
    if (contentLengthTooLarge(request.headers, options.limits.bodyLimitBytes)) {
      throw new AppError(
        commonErrors.body_too_large,
        `Request body exceeds ${options.limits.bodyLimitBytes} bytes`,
      );
    }
    if (request.routeOptions.url === '/metrics' && metricsAllowed !== undefined) {
      const ip = clientIpOf(
        request.raw.socket.remoteAddress,
        request.headers['x-forwarded-for'],
        options.trustedProxies,
      );
      if (!metricsAllowed(ip)) throw new AppError(commonErrors.route_not_found);
    }
    const origin = request.headers.origin;
    if (origin === undefined) return false;
    const cors = corsPolicy();
    if (isPreflight(request.method, request.headers)) {
      const answer = cors.preflight(
        origin,
        headerText(request.headers['access-control-request-method']),
        headerText(request.headers['access-control-request-headers']),
      );
      reply.headers(answer.headers);
      if (answer.status === 403) throw new AppError(gatewayErrors['gateway.cors_denied'], answer.reason);
      reply.code(204).send();
      return true;
    }
    const headers = cors.responseHeaders(origin);
    for (const [name, value] of Object.entries(headers)) {
      reply.header(name, name.toLowerCase() === 'vary' ? mergeVary(reply.getHeader('vary'), value) : value);
    }
    return false;
  };

  // A callback hook, not an async one: no promise per request on the hot path.
  app.addHook('onRequest', (request, reply, done) => {
    let answered: boolean;
    try {
      answered = check(request, reply);
    } catch (err) {
      done(err as Error);
      return;
    }
    // A reply sent from a hook ends the request there; calling done() too would run the route.
    if (!answered) done();
  });
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
