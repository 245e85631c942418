// Where entries live: in this process, or in Redis shared by every gateway replica.
import type { CachedResponse } from './types.ts';

/**
 * A lookup's result. `generation` is the purge state of the key's tags when it was read (opaque);
 * an entry is stored with the generation read before its fetch started, so a purge that happens
 * while the fetch is in flight makes the stored entry invisible instead of resurrecting old data.
 * Undefined when the store could not be read (Redis down): then nothing is stored either.
 */
export interface Lookup {
  entry: CachedResponse | undefined;
  generation: string | undefined;
}

export interface CacheStore {
  /** Never rejects: an unreadable store is a miss. */
  lookup(key: string, tags: readonly string[]): Promise<Lookup>;
  /** Never rejects: an entry that cannot be stored is dropped. Kept until `entry.staleUntilMs`. */
  store(key: string, tags: readonly string[], entry: CachedResponse, generation: string): Promise<void>;
  /** Drops every entry carrying any of the tags; rejects when the store cannot be reached. */
  purgeTags(tags: readonly string[]): Promise<void>;
  /** Drops every entry; rejects when the store cannot be reached. */
  purgeAll(): Promise<void>;
  /** Entries and bytes held in this process (0 for Redis, whose entries this process does not count). */
  size(): { entries: number; bytes: number };
  close(): Promise<void>;
}

/** Rough memory of an entry beyond its body: headers, key and bookkeeping. */
export function entryBytes(key: string, entry: CachedResponse): number {
  let bytes = entry.body.length + key.length + entry.etag.length + 200;
  for (const [name, value] of Object.entries(entry.headers)) {
    bytes += name.length + (Array.isArray(value) ? value.reduce((n, v) => n + v.length, 0) : value.length);
  }
  return bytes;
}
