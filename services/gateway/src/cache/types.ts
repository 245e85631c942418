// The shapes the response cache hands to the pipeline and takes from it.

/** A response as the cache keeps it: only what may be replayed to any client. */
export interface CachedResponse {
  status: number;
  /** Lower-case names; no hop-by-hop headers, no Set-Cookie, no Content-Length or Age (set them on send). Includes `etag`. */
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** The upstream's ETag, else a strong one computed from the body. */
  etag: string;
  /** When the response was generated, as far as known (now − upstream `Age`); `Age` = (now − storedAtMs) / 1000. */
  storedAtMs: number;
  /** Served as HIT until then. */
  freshUntilMs: number;
  /** Served as STALE (with one background refresh) until then; gone after. */
  staleUntilMs: number;
}

/** What the pipeline's fetch returns: the upstream response, body read in full. */
export interface Revalidation {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The `X-Cache` value of a response. BYPASS: fetched and not storable (or the request said no-store). */
export type CacheState = 'HIT' | 'MISS' | 'STALE' | 'BYPASS';
