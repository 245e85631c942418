// The response cache: per-route caching of GET/HEAD responses, purged by tag (events, admin).
export { cacheKey } from './cache-key.ts';
export { notModified } from './conditional.ts';
export { type CachePurgeOptions, startCachePurge } from './purge-subscriber.ts';
export { ResponseCache, type ResponseCacheOptions, type Served, type ServeInput } from './response-cache.ts';
export type { CachedResponse, CacheState, Revalidation } from './types.ts';
