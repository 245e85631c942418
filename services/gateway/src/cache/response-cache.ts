// The gateway's response cache: lookup, request coalescing, stale-while-revalidate, and purges,
// over an in-process or a Redis store. Free of HTTP-server coupling: the pipeline passes the key,
// the route's settings and a fetch, and renders what comes back (X-Cache, ETag/304, Age).
import type { Logger, Registry } from '@shopnow/chassis';
import type { RouteCacheSettings } from '../routes/route-table-schema.ts';
import { deltaSeconds, parseCacheControl } from './cache-control.ts';
import { type CacheMetrics, createCacheMetrics } from './cache-metrics.ts';
import { MemoryStore } from './memory-store.ts';
import { RedisStore } from './redis-store.ts';
import { type StorageContext, storageDecision } from './storage-policy.ts';
import type { CacheStore } from './store.ts';
import type { CachedResponse, CacheState, Revalidation } from './types.ts';

export interface ResponseCacheOptions {
  /** Shared store for every replica when set; otherwise in this process. */
  redisUrl?: string | undefined;
  /** In-process store size. Default 64 MiB. */
  maxBytes?: number;
  /** Largest single response kept. Default min(8 MiB, maxBytes / 8). */
  maxEntryBytes?: number;
  logger: Logger;
  metrics?: Registry;
  now?: () => number;
}

export interface ServeInput {
  key: string;
  /** The route's purge tags. */
  tags: readonly string[];
  settings: RouteCacheSettings;
  /** The request carried a token or an API key (RFC 9111 §3.5). */
  authenticated: boolean;
  /** The request's Cache-Control: `no-cache`/`max-age=0` revalidate, `no-store` bypasses. */
  requestCacheControl?: string | undefined;
}

export interface Served {
  /** A CachedResponse when it came from or went into the cache; the fetched response as is otherwise. */
  response: CachedResponse | Revalidation;
  state: CacheState;
}

/** What one upstream fetch ended as: shareable with every caller of the key, or only its own. */
type Outcome = { shared: true; entry: CachedResponse } | { shared: false; response: Revalidation };

interface Flight {
  generation: string | undefined;
  outcome: Promise<Outcome>;
  /** The value of `#resolved` when the fetch ended (before anyone saw it); undefined while in flight. */
  resolvedAt: number | undefined;
  /** True once the result is stored (or found not storable, or the fetch failed). */
  done: boolean;
}

type Fetch = () => Promise<Revalidation>;

const MIB = 1024 * 1024;

export class ResponseCache {
  readonly #store: CacheStore;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #metrics: CacheMetrics;
  readonly #flights = new Map<string, Flight>();
  /** Counts ended fetches, to tell whether one ended while a lookup ran. */
  #resolved = 0;
  #hits = 0;
  #misses = 0;
  #stale = 0;

  constructor(options: ResponseCacheOptions) {
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    const maxBytes = options.maxBytes ?? 64 * MIB;
    const maxEntryBytes = options.maxEntryBytes ?? Math.min(8 * MIB, Math.floor(maxBytes / 8));
    this.#store = options.redisUrl
      ? new RedisStore({ url: options.redisUrl, logger: options.logger, now: this.#now, maxEntryBytes })
      : new MemoryStore({ maxBytes, maxEntryBytes, now: this.#now });
    this.#metrics = createCacheMetrics(options.metrics, () => this.#store.size());
  }

  /**
   * Serves from the cache or through `fetch`, which runs at most once per key at a time in this
   * process: concurrent misses wait for the one fetch and share its response when it is storable.
   * A response only its caller may see (private, no-store, authenticated without `public`,
   * Set-Cookie) is never shared: each waiter then fetches its own. A stale entry within its
   * stale-while-revalidate window is returned at once (STALE) while one background fetch refreshes
   * it. Rejects only when `fetch` rejects (the store's failures are misses).
   */
  async serve(input: ServeInput, fetch: Fetch): Promise<Served> {
    const request = parseCacheControl(input.requestCacheControl);
    if (request.has('no-store')) return this.#answer(await fetch(), 'BYPASS');
    const tags = [...new Set(input.tags)].sort();
    const lookedUpAt = this.#resolved;
    const found = await this.#store.lookup(input.key, tags);
    const revalidate = request.has('no-cache') || deltaSeconds(request, 'max-age') === 0;
    if (found.entry !== undefined && !revalidate) {
      const now = this.#now();
      if (now < found.entry.freshUntilMs) return this.#answer(found.entry, 'HIT');
      if (now < found.entry.staleUntilMs && found.generation !== undefined) {
        this.#refreshInBackground(input, tags, found.generation, fetch);
        return this.#answer(found.entry, 'STALE');
      }
    }
    return this.#fetchShared(input, tags, found.generation, lookedUpAt, fetch);
  }

  /** Drops every entry carrying any of the tags, for every gateway sharing the store. Rejects when Redis is unreachable. */
  purgeTags(tags: readonly string[]): Promise<void> {
    return this.#store.purgeTags([...new Set(tags)]);
  }

  /** Drops every entry, for every gateway sharing the store. Rejects when Redis is unreachable. */
  purgeAll(): Promise<void> {
    return this.#store.purgeAll();
  }

  /** Counts since start (`misses` includes BYPASS); entries and bytes of the in-process store (0 with Redis). */
  stats(): { entries: number; bytes: number; hits: number; misses: number; stale: number } {
    return { ...this.#store.size(), hits: this.#hits, misses: this.#misses, stale: this.#stale };
  }

  /** Closes the store (the Redis connection). Fetches in flight still settle for their callers. */
  async close(): Promise<void> {
    await this.#store.close();
  }

  async #fetchShared(
    input: ServeInput,
    tags: string[],
    generation: string | undefined,
    lookedUpAt: number,
    fetch: Fetch,
  ): Promise<Served> {
    const flight = this.#flights.get(input.key);
    // Join a fetch in flight, or one that finished while our lookup ran (its store may have come
    // too late for the lookup), but never one that started before a purge the lookup saw.
    const joinable =
      flight !== undefined &&
      flight.generation === generation &&
      (flight.resolvedAt === undefined || flight.resolvedAt > lookedUpAt);
    if (flight !== undefined && joinable) {
      const outcome = await flight.outcome;
      if (outcome.shared) return this.#answer(outcome.entry, 'MISS');
      // Someone else's private answer: fetch our own, alone, so it is never handed to another.
      const own = this.#decide(input, await fetch());
      if (own.shared && generation !== undefined) {
        await this.#store.store(input.key, tags, own.entry, generation);
      }
      return own.shared ? this.#answer(own.entry, 'MISS') : this.#answer(own.response, 'BYPASS');
    }
    const outcome = await this.#startFlight(input, tags, generation, fetch).outcome;
    return outcome.shared ? this.#answer(outcome.entry, 'MISS') : this.#answer(outcome.response, 'BYPASS');
  }

  #refreshInBackground(input: ServeInput, tags: string[], generation: string, fetch: Fetch): void {
    const flight = this.#flights.get(input.key);
    if (flight !== undefined && !flight.done) return; // one at a time, until its result is stored
    this.#startFlight(input, tags, generation, fetch).outcome.catch((err: unknown) => {
      this.#logger.warn(
        { err, cache_key: input.key },
        'response cache: background revalidation failed; serving stale',
      );
    });
  }

  /** Runs `fetch` as the key's one flight; stores a shareable result under the generation read before. */
  #startFlight(input: ServeInput, tags: string[], generation: string | undefined, fetch: Fetch): Flight {
    // Marked the moment the fetch ends, before any caller sees the result (the callbacks below
    // run after `flight` is assigned: a promise reaction is never synchronous).
    let self: Flight | undefined;
    const ended = () => {
      if (self !== undefined) self.resolvedAt = ++this.#resolved;
    };
    const outcome = new Promise<Revalidation>((resolve) => resolve(fetch())).then(
      (response) => {
        ended();
        return this.#decide(input, response);
      },
      (err: unknown) => {
        ended();
        throw err;
      },
    );
    const flight: Flight = { generation, outcome, resolvedAt: undefined, done: false };
    self = flight;
    this.#flights.set(input.key, flight);
    outcome
      .then(async (result) => {
        if (result.shared && generation !== undefined) {
          await this.#store.store(input.key, tags, result.entry, generation);
        }
      })
      .catch(() => {}) // the callers of `outcome` get the error
      .finally(() => {
        flight.done = true;
        // Kept until after the store, so a lookup that missed just before it joins instead.
        setImmediate(() => {
          if (this.#flights.get(input.key) === flight) this.#flights.delete(input.key);
        });
      });
    return flight;
  }

  #decide(input: ServeInput, response: Revalidation): Outcome {
    const ctx: StorageContext = {
      settings: input.settings,
      authenticated: input.authenticated,
      request: parseCacheControl(input.requestCacheControl),
      nowMs: this.#now(),
    };
    const decision = storageDecision(response, ctx);
    return decision.store ? { shared: true, entry: decision.entry } : { shared: false, response };
  }

  #answer(response: CachedResponse | Revalidation, state: CacheState): Served {
    if (state === 'HIT') this.#hits++;
    else if (state === 'STALE') this.#stale++;
    else this.#misses++;
    this.#metrics.count(state);
    return { response, state };
  }
}
