// In-process read cache for GET /products/:id, holding the serialised body and its ETag.
// - Entries live PRODUCT_CACHE_TTL_MS (0 = off); that TTL bounds how stale another replica can
//   be until product events arrive (events issue) and invalidate every replica.
// - Writes on this instance call invalidate(id) after they commit.
// - Concurrent misses for one id share a single load; a load that started before an
//   invalidation is not stored, so a write is never undone by a slower, older read.
// - Size-bounded: the oldest entry is evicted first.
import { createHash } from 'node:crypto';

export interface CachedBody {
  body: string;
  /** Strong validator: a hash of the exact bytes sent. */
  etag: string;
}

interface Entry {
  value: CachedBody;
  expiresAt: number;
}

export interface ProductCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

export class ProductCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<CachedBody | undefined>>();

  constructor(options: ProductCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The fresh cached body for `id`, if there is one: lets a hit be answered synchronously. */
  peek(id: string): CachedBody | undefined {
    if (this.#ttlMs <= 0) return undefined;
    const entry = this.#entries.get(id);
    return entry !== undefined && entry.expiresAt > this.#now() ? entry.value : undefined;
  }

  /** The cached body for `id`, else `load()`'s result (cached when found). */
  get(id: string, load: () => Promise<unknown | undefined>): Promise<CachedBody | undefined> {
    const hit = this.peek(id);
    if (hit !== undefined) return Promise.resolve(hit);
    if (this.#ttlMs > 0) {
      const pending = this.#loading.get(id);
      if (pending !== undefined) return pending;
    }
    const loading = load().then((value) => (value === undefined ? undefined : toCachedBody(value)));
    if (this.#ttlMs <= 0) return loading;
    this.#loading.set(id, loading);
    return loading.then(
      (value) => {
        if (this.#loading.get(id) === loading) {
          this.#loading.delete(id);
          if (value !== undefined) this.#store(id, value);
        }
        return value;
      },
      (err: unknown) => {
        if (this.#loading.get(id) === loading) this.#loading.delete(id);
        throw err;
      },
    );
  }

  invalidate(id: string): void {
    this.#entries.delete(id);
    this.#loading.delete(id);
  }

  get size(): number {
    return this.#entries.size;
  }

  #store(id: string, value: CachedBody): void {
    this.#entries.delete(id);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(id, { value, expiresAt: this.#now() + this.#ttlMs });
  }
}

export function toCachedBody(value: unknown): CachedBody {
  const body = JSON.stringify(value);
  return { body, etag: strongEtag(body) };
}

export function strongEtag(content: string): string {
  return `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;
}
