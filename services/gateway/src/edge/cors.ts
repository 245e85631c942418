// CORS from the route table's `cors` allowlist: which browser origins may call the API, answered
// at the edge so preflights never reach a service. Headers are computed per Origin from sets
// built once per route-table load.
import type { CorsSettings } from '../routes/route-table-schema.ts';

/** What the pipeline asks of the CORS settings. */
export interface CorsPolicy {
  /** Whether any origin is allowed at all (false when the route table has no `cors`). */
  readonly enabled: boolean;
  /** Whether `origin` is on the allowlist. */
  allows(origin: string | undefined): boolean;
  /**
   * Headers to add to an actual (non-preflight) response for this Origin: empty when the origin
   * is not allowed, but `Vary: Origin` whenever CORS is on, so a shared cache never serves one
   * origin's answer to another. Merge `Vary` with the upstream's (see `mergeVary`).
   */
  responseHeaders(origin: string | undefined): Record<string, string>;
  /**
   * The answer to a preflight (OPTIONS with Access-Control-Request-Method): 204 with the CORS
   * headers when the origin, method and every requested header are allowed, else 403 with `reason`
   * for the problem detail (the pipeline renders it as problem+json).
   */
  preflight(
    origin: string | undefined,
    requestMethod: string | undefined,
    requestHeaders: string | undefined,
  ): { status: 204 | 403; headers: Record<string, string>; reason?: string };
}

/** Methods allowed when the settings name none. */
export const DEFAULT_CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Request headers a browser may send when the settings name none: what the API reads. */
export const DEFAULT_CORS_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  'last-event-id',
  'x-cart-token',
  'if-match',
  'if-none-match',
  'x-api-key',
  'x-request-id',
  'traceparent',
] as const;
/** Preflight cache time when the settings give none; saves a round trip per call for 10 minutes. */
export const DEFAULT_CORS_MAX_AGE_SECONDS = 600;

const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';

/**
 * Compile the route table's `cors` into a policy. `undefined` → CORS off: no CORS headers and
 * every preflight refused. Origins are exact serialised origins (`https://shop.example`,
 * compared case-insensitively); `"*"` allows any origin (echoed back when credentials are on, as
 * browsers require). Throws an Error for an entry that is not an origin (a path, `null`, ...).
 */
export function compileCors(settings: CorsSettings | undefined): CorsPolicy {
  if (settings === undefined) return DISABLED;
  let anyOrigin = false;
  const origins = new Set<string>();
  for (const entry of settings.origins) {
    if (entry === '*') anyOrigin = true;
    else origins.add(canonicalOrigin(entry));
  }
  const credentials = settings.credentials === true;
  const methods = new Set((settings.methods ?? DEFAULT_CORS_METHODS).map((m) => m.toUpperCase()));
  const allowHeaders = new Set(
    (settings.allowHeaders ?? DEFAULT_CORS_ALLOW_HEADERS).map((h) => h.toLowerCase()),
  );
  const maxAge = settings.maxAgeSeconds ?? DEFAULT_CORS_MAX_AGE_SECONDS;
  const expose = settings.exposeHeaders?.length ? settings.exposeHeaders.join(', ') : undefined;
  const methodsValue = [...methods].join(', ');
  const headersValue = [...allowHeaders].join(', ');

  const allows = (origin: string | undefined): origin is string =>
    origin !== undefined && origin !== 'null' && (anyOrigin || origins.has(origin.toLowerCase()));
  // With credentials the exact origin must be echoed; `*` is then refused by browsers.
  const allowOrigin = (origin: string): string => (anyOrigin && !credentials ? '*' : origin);

  return {
    enabled: true,
    allows,
    responseHeaders(origin) {
      const headers: Record<string, string> = { vary: 'Origin' };
      if (!allows(origin)) return headers;
      headers['access-control-allow-origin'] = allowOrigin(origin);
      if (credentials) headers['access-control-allow-credentials'] = 'true';
      if (expose !== undefined) headers['access-control-expose-headers'] = expose;
      return headers;
    },
    preflight(origin, requestMethod, requestHeaders) {
      const refused = (reason: string) => ({
        status: 403 as const,
        headers: { vary: PREFLIGHT_VARY },
        reason,
      });
      if (!allows(origin)) return refused(`origin ${origin ?? '(none)'} is not allowed`);
      const method = requestMethod?.trim().toUpperCase();
      if (method === undefined || method === '' || !methods.has(method)) {
        return refused(`method ${requestMethod ?? '(none)'} is not allowed`);
      }
      for (const name of (requestHeaders ?? '').split(',')) {
        const header = name.trim().toLowerCase();
        if (header !== '' && !allowHeaders.has(header)) return refused(`header ${header} is not allowed`);
      }
      const headers: Record<string, string> = {
        vary: PREFLIGHT_VARY,
        'access-control-allow-origin': allowOrigin(origin),
        'access-control-allow-methods': methodsValue,
        'access-control-max-age': String(maxAge),
      };
      if (headersValue !== '') headers['access-control-allow-headers'] = headersValue;
      if (credentials) headers['access-control-allow-credentials'] = 'true';
      return { status: 204, headers };
    },
  };
}

/** Whether a request is a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method). */
export function isPreflight(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  return (
    method === 'OPTIONS' &&
    headers.origin !== undefined &&
    headers['access-control-request-method'] !== undefined
  );
}

/** `existing` Vary with the tokens of `add` appended once each (case-insensitive); `*` stays `*`. */
export function mergeVary(existing: string | string[] | number | undefined, add: string): string {
  const current =
    existing === undefined ? '' : Array.isArray(existing) ? existing.join(', ') : String(existing);
  const tokens = current
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (tokens.includes('*')) return '*';
  const seen = new Set(tokens.map((t) => t.toLowerCase()));
  for (const token of add.split(',').map((t) => t.trim())) {
    if (token !== '' && !seen.has(token.toLowerCase())) {
      tokens.push(token);
      seen.add(token.toLowerCase());
    }
  }
  return tokens.join(', ');
}

const DISABLED: CorsPolicy = {
  enabled: false,
  allows: () => false,
  responseHeaders: () => ({}),
  preflight: () => ({ status: 403, headers: {}, reason: 'cross-origin requests are not enabled' }),
};

/** `entry` as the browser serialises an Origin (lowercase scheme and host, no path); throws otherwise. */
function canonicalOrigin(entry: string): string {
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    url = undefined;
  }
  const plain =
    url !== undefined &&
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    url.username === '' &&
    url.password === '' &&
    !entry.endsWith('?') &&
    !entry.endsWith('#');
  if (!plain || url === undefined) {
    throw new Error(
      `cors.origins: "${entry}" is not an origin like https://shop.example (scheme, host, optional port; no path)`,
    );
  }
  return url.origin.toLowerCase();
}
