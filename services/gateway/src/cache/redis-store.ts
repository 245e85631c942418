// The shared store: every gateway replica reads and writes the same Redis, so an entry one stored
// is a hit for all, and one purge drops it for all.
//
// - An entry is one key (`<prefix>e:<cache key>`), the codec's bytes, expiring (PX) at its stale limit.
// - Tag purge is O(1): each tag has a generation counter (`<prefix>g:<tag>`, plus `<prefix>g:*` for
//   purge-all) that a purge increments; an entry records the generations it was stored under and
//   is ignored once any differs (it then expires by itself).
// - A lookup is one round trip: one MGET of the generations and the entry.
// - Redis errors and timeouts (short command timeout, no offline queue) make a lookup a miss and a
//   store a no-op, so requests go upstream and never fail on the cache; one warning per outage.

import type { Logger } from '@shopnow/chassis';
import { Redis } from 'ioredis';
import { decodeEntry, encodeEntry } from './entry-codec.ts';
import type { CacheStore, Lookup } from './store.ts';
import type { CachedResponse } from './types.ts';

export interface RedisStoreOptions {
  url: string;
  logger: Logger;
  now: () => number;
  /** Largest single entry stored. */
  maxEntryBytes: number;
  /** Key prefix, so the cache can share a Redis with other users. Default `gw:cache:`. */
  prefix?: string;
  /** Per command. Default 75 ms: a slow Redis must not slow every request down. */
  commandTimeoutMs?: number;
}

const ALL_TAGS = '*';

export class RedisStore implements CacheStore {
  readonly #redis: Redis;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #prefix: string;
  readonly #maxEntryBytes: number;
  #reachable = true;
  #closing = false;

  constructor(options: RedisStoreOptions) {
    this.#logger = options.logger;
    this.#now = options.now;
    this.#prefix = options.prefix ?? 'gw:cache:';
    this.#maxEntryBytes = options.maxEntryBytes;
    this.#redis = new Redis(options.url, {
      commandTimeout: options.commandTimeoutMs ?? 75,
      connectTimeout: 1000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    });
    // Outages are seen here (connection refused, reset); a live but hanging Redis through the
    // command timeouts below. Commands sent before the first connection fail fast without a warning.
    this.#redis.on('error', (err) => this.#failed(err));
    this.#redis.on('close', () => {
      if (!this.#closing) this.#failed(new Error('connection to Redis closed'));
    });
    this.#redis.on('ready', () => this.#succeeded());
  }

  async lookup(key: string, tags: readonly string[]): Promise<Lookup> {
    const generationKeys = [ALL_TAGS, ...tags].map((tag) => this.#generationKey(tag));
    let values: Array<Buffer | null>;
    try {
      values = await this.#redis.mgetBuffer(...generationKeys, this.#entryKey(key));
      this.#succeeded();
    } catch (err) {
      this.#commandFailed(err);
      return { entry: undefined, generation: undefined };
    }
    const generation = values
      .slice(0, -1)
      .map((value) => value?.toString('utf8') ?? '0')
      .join('.');
    const stored = values.at(-1);
    const decoded = stored ? decodeEntry(stored) : undefined;
    return { entry: decoded?.generation === generation ? decoded.entry : undefined, generation };
  }

  async store(
    key: string,
    _tags: readonly string[],
    entry: CachedResponse,
    generation: string,
  ): Promise<void> {
    const ttl = Math.ceil(entry.staleUntilMs - this.#now());
    if (ttl <= 0 || entry.body.length > this.#maxEntryBytes) return;
    try {
      await this.#redis.set(this.#entryKey(key), encodeEntry(entry, generation), 'PX', ttl);
      this.#succeeded();
    } catch (err) {
      this.#commandFailed(err);
    }
  }

  async purgeTags(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    await this.#incr(tags);
  }

  async purgeAll(): Promise<void> {
    await this.#incr([ALL_TAGS]);
  }

  size(): { entries: number; bytes: number } {
    return { entries: 0, bytes: 0 };
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#redis.disconnect();
  }

  async #incr(tags: readonly string[]): Promise<void> {
    try {
      const pipeline = this.#redis.multi();
      for (const tag of tags) pipeline.incr(this.#generationKey(tag));
      const results = await pipeline.exec();
      const failed = results?.find(([err]) => err !== null)?.[0];
      if (results === null || failed) throw failed ?? new Error('purge transaction discarded');
      this.#succeeded();
    } catch (err) {
      this.#commandFailed(err);
      throw err;
    }
  }

  #entryKey(key: string): string {
    return `${this.#prefix}e:${key}`;
  }

  #generationKey(tag: string): string {
    return `${this.#prefix}g:${tag}`;
  }

  /** A command failed: an outage when the connection was up (a timeout); else the connection events tell. */
  #commandFailed(err: unknown): void {
    if (this.#redis.status === 'ready') this.#failed(err);
  }

  #failed(err: unknown): void {
    if (!this.#reachable) return;
    this.#reachable = false;
    this.#logger.warn({ err }, 'response cache: Redis unavailable; requests go upstream until it is back');
  }

  #succeeded(): void {
    if (this.#reachable) return;
    this.#reachable = true;
    this.#logger.info('response cache: Redis reachable again');
  }
}
