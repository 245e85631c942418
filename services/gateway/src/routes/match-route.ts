// Which route serves a request: the first in table order whose path, method, host and headers
// all match. The path must already be normalised (normalizePath).
import { matchPattern, pathSegments } from './path-pattern.ts';
import type { CompiledRoute, RouteTable } from './route-table.ts';

/** The request facts routing looks at. `path` is normalised; `headers` have lower-case names. */
export interface RouteRequest {
  readonly method: string;
  readonly host: string | undefined;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A matched route with the captured `:params` (decoded) and the `**` rest ('' if none). */
export interface RouteMatch {
  readonly route: CompiledRoute;
  readonly params: Record<string, string>;
  readonly rest: string;
  /** The request path ended with `/` (kept when the rewrite's `**` is empty). */
  readonly trailingSlash: boolean;
}

/** The first route (table order) matching every condition, or undefined (then see methodsAllowedFor). */
export function matchRoute(table: RouteTable, req: RouteRequest): RouteMatch | undefined {
  const segs = pathSegments(req.path);
  const host = hostOf(req.host);
  for (const route of table.routes) {
    if (route.methodSet !== undefined && !route.methodSet.has(req.method)) continue;
    const m = matchOthers(route, segs, host, req.headers);
    if (m !== false)
      return {
        route,
        params: m.params,
        rest: m.rest,
        trailingSlash: req.path.length > 1 && req.path.endsWith('/'),
      };
  }
  return undefined;
}

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The methods of routes that match the request in everything but its method, in a stable order —
 * for a 405 with `Allow`. Empty means no route has this path (404).
 */
export function methodsAllowedFor(table: RouteTable, req: Omit<RouteRequest, 'method'>): string[] {
  const segs = pathSegments(req.path);
  const host = hostOf(req.host);
  const allowed = new Set<string>();
  for (const route of table.routes) {
    if (matchOthers(route, segs, host, req.headers) === false) continue;
    for (const m of route.methodSet ?? METHOD_ORDER) allowed.add(m);
  }
  return METHOD_ORDER.filter((m) => allowed.has(m));
}

function matchOthers(
  route: CompiledRoute,
  segs: readonly string[],
  host: string | undefined,
  headers: RouteRequest['headers'],
): false | { params: Record<string, string>; rest: string } {
  if (route.hostMatch !== undefined && route.hostMatch !== host) return false;
  for (const [name, want] of route.headerMatch) {
    const got = headers[name];
    if ((Array.isArray(got) ? got.join(', ') : got) !== want) return false;
  }
  return matchPattern(route.pathPattern, segs);
}

/** `Shop.Example:8080` → `shop.example`; `[::1]:8080` → `[::1]`; a trailing dot dropped. */
export function hostOf(host: string | undefined): string | undefined {
  if (host === undefined || host === '') return undefined;
  let h = host.toLowerCase();
  const colon = h.lastIndexOf(':');
  if (colon !== -1 && colon > h.lastIndexOf(']')) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}
