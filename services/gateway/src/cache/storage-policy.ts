// Whether a fetched response may be kept by a shared cache, and for how long (RFC 9111 §3, §4.2,
// §3.5 and RFC 5861). The gateway is the origin's own edge (a surrogate): a route's ttlSeconds
// applies when the upstream gives no max-age, and a response `no-cache` (which services send so
// browsers revalidate) does not stop the gateway from serving it for that time; event purges keep
// it correct.
import type { RouteCacheSettings } from '../routes/route-table-schema.ts';
import { type Directives, deltaSeconds, parseCacheControl } from './cache-control.ts';
import { strongEtag } from './etag.ts';
import { headerValue, storedHeaders } from './stored-headers.ts';
import type { CachedResponse, Revalidation } from './types.ts';

/** Statuses kept: 200, 301 (permanent) and 404 (heuristically cacheable, RFC 9110 §15.1). */
export const STORABLE_STATUSES: ReadonlySet<number> = new Set([200, 301, 404]);

export interface StorageContext {
  settings: RouteCacheSettings;
  authenticated: boolean;
  request: Directives;
  nowMs: number;
}

export type StorageDecision = { store: true; entry: CachedResponse } | { store: false; reason: string };

/** Decides from the fetched response and the request; when storable, builds the entry. */
export function storageDecision(response: Revalidation, ctx: StorageContext): StorageDecision {
  if (!STORABLE_STATUSES.has(response.status)) return { store: false, reason: `status ${response.status}` };
  if (ctx.request.has('no-store')) return { store: false, reason: 'request no-store' };
  const cc = parseCacheControl(headerValue(response.headers, 'cache-control'));
  if (cc.has('no-store')) return { store: false, reason: 'no-store' };
  if (cc.has('private')) return { store: false, reason: 'private' };
  if (headerValue(response.headers, 'set-cookie') !== undefined)
    return { store: false, reason: 'set-cookie' };
  const varyProblem = unsupportedVary(headerValue(response.headers, 'vary'), ctx.settings.vary ?? []);
  if (varyProblem !== undefined) return { store: false, reason: varyProblem };
  const sMaxAge = deltaSeconds(cc, 's-maxage');
  // §3.5: a response to an authenticated request is shared only when it says so.
  if (ctx.authenticated && !(cc.has('public') || sMaxAge !== undefined || cc.has('must-revalidate'))) {
    return { store: false, reason: 'authenticated' };
  }
  const ageSeconds = Math.max(0, Number.parseInt(headerValue(response.headers, 'age') ?? '0', 10) || 0);
  const freshSeconds = (sMaxAge ?? deltaSeconds(cc, 'max-age') ?? ctx.settings.ttlSeconds) - ageSeconds;
  if (freshSeconds <= 0) return { store: false, reason: 'not fresh' };
  const staleSeconds = staleWhileRevalidateSeconds(cc, sMaxAge !== undefined, ctx.settings);

  const headers = storedHeaders(response.headers);
  const upstreamEtag = headers.etag;
  const etag =
    typeof upstreamEtag === 'string' ? upstreamEtag : (upstreamEtag?.[0] ?? strongEtag(response.body));
  headers.etag = etag;
  const storedAtMs = ctx.nowMs - ageSeconds * 1000;
  const freshUntilMs = ctx.nowMs + freshSeconds * 1000;
  return {
    store: true,
    entry: {
      status: response.status,
      headers,
      body: response.body,
      etag,
      storedAtMs,
      freshUntilMs,
      staleUntilMs: freshUntilMs + staleSeconds * 1000,
    },
  };
}

/**
 * The response's own `stale-while-revalidate`, else the route's; none when the response forbids
 * serving stale (must-revalidate, proxy-revalidate, or s-maxage, which implies proxy-revalidate).
 */
function staleWhileRevalidateSeconds(
  cc: Directives,
  hasSMaxAge: boolean,
  settings: RouteCacheSettings,
): number {
  const own = deltaSeconds(cc, 'stale-while-revalidate');
  if (own !== undefined) return own;
  if (cc.has('must-revalidate') || cc.has('proxy-revalidate') || hasSMaxAge) return 0;
  return settings.staleWhileRevalidateSeconds ?? 0;
}

/**
 * The key splits only by the route's `vary` headers, so a response varying on anything else
 * (or on `*`) cannot be shared safely.
 */
function unsupportedVary(vary: string | undefined, routeVary: readonly string[]): string | undefined {
  if (vary === undefined) return undefined;
  const allowed = new Set(routeVary.map((name) => name.toLowerCase()));
  for (const token of vary.split(',')) {
    const name = token.trim().toLowerCase();
    if (name === '') continue;
    if (name === '*' || !allowed.has(name)) return `vary ${name} not in the route's vary`;
  }
  return undefined;
}
