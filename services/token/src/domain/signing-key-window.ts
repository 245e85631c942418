// Which signing keys the JWKS publishes and which one signs.
import { RETIRED_KEY_PUBLISHED_MS } from './lifetimes.ts';

export interface KeyDates {
  createdAt: Date;
  retiredAt: Date | undefined;
}

/** Active keys, and retired ones until every token they signed has expired. */
export function isPublished(key: KeyDates, now: Date, retiredWindowMs = RETIRED_KEY_PUBLISHED_MS): boolean {
  return key.retiredAt === undefined || key.retiredAt.getTime() + retiredWindowMs > now.getTime();
}

/** The newest active key signs (two active keys exist only for a moment during a rotation race). */
export function signingKeyOf<K extends KeyDates>(keys: readonly K[]): K | undefined {
  let newest: K | undefined;
  for (const key of keys) {
    if (key.retiredAt !== undefined) continue;
    if (newest === undefined || key.createdAt > newest.createdAt) newest = key;
  }
  return newest;
}
