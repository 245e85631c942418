// Which upstream response headers a cached copy keeps: never connection-level ones (RFC 9110
// §7.6.1), never Set-Cookie (one client's cookie must not reach another), and not the ones the
// gateway recomputes on every send (Content-Length, Age, X-Cache).

const NOT_STORED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'content-length',
  'age',
  'x-cache',
]);

/** The headers to store, names lower-cased, without the ones above and those named in `Connection`. */
export function storedHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const connection = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'connection' || value === undefined) continue;
    for (const token of (Array.isArray(value) ? value.join(',') : value).split(',')) {
      connection.add(token.trim().toLowerCase());
    }
  }
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || NOT_STORED.has(lower) || connection.has(lower)) continue;
    kept[lower] = Array.isArray(value) ? [...value] : value;
  }
  return kept;
}

/** The first value of a header, by lower-case name, whatever case the upstream used. */
export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  lowerName: string,
): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== lowerName || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}
