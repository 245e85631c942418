export interface CachedLookup {
  /** A recent answer, or a new one; with `fresh`, always a new one (still shared with concurrent calls). */
  get(name: string, fresh?: boolean): Promise<string[]>;
  clear(): void;
}

interface Entry {
  urls: string[];
  fetchedAt: number;
}

/**
 * Caches lookups for ttlMs with three properties a hot path needs: concurrent misses
 * share one fetch, an answer is served from memory between refreshes, and a failed
 * refresh falls back to the last good answer (a registry or DNS blip must not take
 * every outbound call down with it).
 */
export function cachedLookup(fetch: (name: string) => Promise<string[]>, ttlMs: number): CachedLookup {
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<string[]>>();

  function refresh(name: string): Promise<string[]> {
    let pending = inFlight.get(name);
    if (!pending) {
      pending = fetch(name)
        .then(
          (urls) => {
            // "No instance yet" is not remembered: a service that is starting registers any
            // moment, and its callers should see it at their next lookup, not after the TTL.
            if (urls.length > 0) entries.set(name, { urls, fetchedAt: Date.now() });
            else entries.delete(name);
            return urls;
          },
          (err: unknown) => {
            const stale = entries.get(name);
            if (stale) return stale.urls;
            throw err;
          },
        )
        .finally(() => inFlight.delete(name));
      inFlight.set(name, pending);
    }
    return pending;
  }

  return {
    get(name, fresh = false) {
      const entry = entries.get(name);
      if (!fresh && entry && Date.now() - entry.fetchedAt < ttlMs) return Promise.resolve(entry.urls);
      return refresh(name);
    },
    clear() {
      entries.clear();
    },
  };
}
