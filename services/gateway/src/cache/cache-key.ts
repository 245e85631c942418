// The identity of a cached response. HEAD is answered from GET's entry, so the method is not part
// of the key; JSON keeps the parts unambiguous whatever characters they hold.

/**
 * The cache key of a GET or HEAD request on a route: route name, host (lower-cased, as given,
 * port included), path and query exactly as forwarded, and the values of the route's `vary`
 * request headers in the route's order (missing header → empty string).
 */
export function cacheKey(
  route: { name: string },
  _method: 'GET' | 'HEAD',
  host: string,
  pathAndQuery: string,
  varyValues: readonly string[],
): string {
  return JSON.stringify([route.name, host.toLowerCase(), pathAndQuery, ...varyValues]);
}
