// The in-process store: an LRU bounded by bytes, entries expiring at their stale limit, and a tag
// index so a purge frees the memory at once (generations still fence fetches in flight).
import { LRUCache } from 'lru-cache';
import { type CacheStore, entryBytes, type Lookup } from './store.ts';
import type { CachedResponse } from './types.ts';

interface Held {
  entry: CachedResponse;
  generation: string;
  tags: readonly string[];
}

export interface MemoryStoreOptions {
  maxBytes: number;
  /** Largest single entry kept. */
  maxEntryBytes: number;
  now: () => number;
}

export class MemoryStore implements CacheStore {
  readonly #lru: LRUCache<string, Held>;
  readonly #keysByTag = new Map<string, Set<string>>();
  readonly #tagGenerations = new Map<string, number>();
  readonly #now: () => number;
  #allGeneration = 0;

  constructor(options: MemoryStoreOptions) {
    this.#now = options.now;
    this.#lru = new LRUCache<string, Held>({
      maxSize: options.maxBytes,
      maxEntrySize: options.maxEntryBytes,
      perf: { now: options.now },
      dispose: (held, key, reason) => {
        if (reason !== 'set') this.#unindex(key, held.tags);
      },
    });
  }

  async lookup(key: string, tags: readonly string[]): Promise<Lookup> {
    const generation = this.#generationOf(tags);
    const held = this.#lru.get(key);
    return { entry: held?.generation === generation ? held.entry : undefined, generation };
  }

  async store(
    key: string,
    tags: readonly string[],
    entry: CachedResponse,
    generation: string,
  ): Promise<void> {
    if (generation !== this.#generationOf(tags)) return; // purged while it was fetched
    const ttl = Math.ceil(entry.staleUntilMs - this.#now());
    if (ttl <= 0) return;
    this.#lru.set(key, { entry, generation, tags }, { ttl, size: entryBytes(key, entry) });
    if (!this.#lru.has(key)) return; // larger than maxEntryBytes
    for (const tag of tags) {
      let keys = this.#keysByTag.get(tag);
      if (keys === undefined) {
        keys = new Set();
        this.#keysByTag.set(tag, keys);
      }
      keys.add(key);
    }
  }

  async purgeTags(tags: readonly string[]): Promise<void> {
    for (const tag of tags) {
      this.#tagGenerations.set(tag, (this.#tagGenerations.get(tag) ?? 0) + 1);
      for (const key of [...(this.#keysByTag.get(tag) ?? [])]) this.#lru.delete(key);
      this.#keysByTag.delete(tag);
    }
  }

  async purgeAll(): Promise<void> {
    this.#allGeneration++;
    this.#lru.clear();
    this.#keysByTag.clear();
  }

  size(): { entries: number; bytes: number } {
    this.#lru.purgeStale();
    return { entries: this.#lru.size, bytes: this.#lru.calculatedSize };
  }

  async close(): Promise<void> {
    this.#lru.clear();
  }

  #generationOf(tags: readonly string[]): string {
    let generation = String(this.#allGeneration);
    for (const tag of tags) generation += `.${this.#tagGenerations.get(tag) ?? 0}`;
    return generation;
  }

  #unindex(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.#keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.#keysByTag.delete(tag);
    }
  }
}
