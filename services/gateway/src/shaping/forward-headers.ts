// What crosses the gateway in each direction. Towards services: nothing a client could use to
// claim an identity or an origin it does not have — the gateway's own facts replace them.
// Back to clients: the upstream's end-to-end headers, never its connection management.

type IncomingHeaders = Record<string, string | string[] | undefined>;
type OutgoingHeaders = Record<string, string | string[]>;

/** Connection-level headers (RFC 9110 §7.6.1) plus what undici refuses to send (`expect`, `http2-settings`). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
]);

/** Identity, origin and correlation headers only the gateway may set. */
const GATEWAY_OWNED = new Set([
  'forwarded',
  'x-real-ip',
  'x-client-ip',
  'x-request-id',
  'x-api-key',
  'host',
  'authorization',
]);
const GATEWAY_OWNED_PREFIXES = ['x-user-', 'x-internal-', 'x-forwarded-'];

/** Never dropped because a peer named them in `Connection` (it would change the message itself). */
const END_TO_END_ESSENTIAL = new Set(['content-length', 'content-type', 'content-encoding']);

/** Header names the `Connection` header lists (they are hop-by-hop for this message). */
function connectionNamed(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  // What nearly every peer sends names no other header (`keep-alive` is hop-by-hop anyway).
  if (typeof value === 'string' && CONNECTION_PLAIN.test(value)) return undefined;
  const named = new Set<string>();
  for (const part of (Array.isArray(value) ? value.join(',') : value).split(',')) {
    const name = part.trim().toLowerCase();
    if (name !== '' && !END_TO_END_ESSENTIAL.has(name)) named.add(name);
  }
  return named;
}

const CONNECTION_PLAIN = /^[ \t]*(keep-alive|close)[ \t]*$/i;
// Node and undici hand over header names lower-cased already; others are lower-cased here.
const HAS_UPPER = /[A-Z]/;

function lowerName(key: string): string {
  return HAS_UPPER.test(key) ? key.toLowerCase() : key;
}

function isGatewayOwned(name: string): boolean {
  if (GATEWAY_OWNED.has(name)) return true;
  // Every owned prefix starts with `x-`: most names are out after one character.
  if (name.charCodeAt(0) !== 120 || name.charCodeAt(1) !== 45) return false;
  for (const prefix of GATEWAY_OWNED_PREFIXES) if (name.startsWith(prefix)) return true;
  return false;
}

function isHopByHop(name: string, named: Set<string> | undefined): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-') || (named?.has(name) ?? false);
}

/** What the gateway knows about a request, which replaces whatever the client claimed. */
export interface ForwardContext {
  readonly requestId: string;
  /** The client's address as the trusted-proxy setting resolved it. */
  readonly clientIp: string;
  readonly forwardedProto: 'http' | 'https';
  /** The Host the client asked for (becomes X-Forwarded-Host). */
  readonly host: string | undefined;
  /** The authenticated caller, if any. */
  readonly user?: { readonly id: string; readonly roles: readonly string[] } | undefined;
  /** `Authorization` to forward (e.g. `Bearer <token>`, or the token exchanged for an API key). */
  readonly authorization?: string | undefined;
  /** W3C trace context of the gateway's span; when absent the client's traceparent passes as is. */
  readonly traceparent?: string | undefined;
}

/**
 * The headers to send upstream: the client's end-to-end headers minus hop-by-hop ones (and those
 * `Connection` names), minus every identity/origin header a client could forge (`X-User-*`,
 * `X-Internal-*`, `X-Forwarded-*`, `Forwarded`, `X-Real-IP`, `X-Client-IP`, `X-Request-ID`,
 * `X-API-Key`, `Authorization`, `Host`), plus the gateway's own values from `ctx`.
 */
export function forwardHeaders(incoming: IncomingHeaders, ctx: ForwardContext): OutgoingHeaders {
  const named = connectionNamed(incoming.connection);
  const out: OutgoingHeaders = {};
  for (const key of Object.keys(incoming)) {
    const value = incoming[key];
    if (value === undefined) continue;
    const name = lowerName(key);
    if (isHopByHop(name, named) || isGatewayOwned(name)) continue;
    out[name] = value;
  }
  out['x-request-id'] = ctx.requestId;
  out['x-client-ip'] = ctx.clientIp;
  out['x-forwarded-for'] = ctx.clientIp;
  out['x-forwarded-proto'] = ctx.forwardedProto;
  if (ctx.host !== undefined) out['x-forwarded-host'] = ctx.host;
  if (ctx.user !== undefined) {
    out['x-user-id'] = ctx.user.id;
    out['x-user-roles'] = ctx.user.roles.join(',');
  }
  if (ctx.authorization !== undefined) out.authorization = ctx.authorization;
  if (ctx.traceparent !== undefined) out.traceparent = ctx.traceparent;
  return out;
}

/**
 * The upstream's response headers fit to send to the client: hop-by-hop ones (and those its
 * `Connection` names) removed, and `content-length` removed because the gateway writes the body
 * itself (Fastify recomputes it; a body transform changes it) unless `keepContentLength` (HEAD).
 * Arrays (`set-cookie`) are kept as arrays.
 */
export function responseHeadersFromUpstream(
  headers: IncomingHeaders,
  options: { keepContentLength?: boolean } = {},
): OutgoingHeaders {
  const named = connectionNamed(headers.connection);
  const out: OutgoingHeaders = {};
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (value === undefined) continue;
    const name = lowerName(key);
    if (isHopByHop(name, named)) continue;
    if (name === 'content-length' && options.keepContentLength !== true) continue;
    // The edge alone knows whether the client's connection was HTTPS (edge-hooks.ts).
    if (name === 'strict-transport-security') continue;
    out[name] = value;
  }
  return out;
}
