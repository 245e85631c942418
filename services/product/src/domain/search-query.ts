// What a shopper types, cleaned before it reaches SQL (which receives it only as a
// parameter): whitespace collapsed, control characters dropped, bounded length, and the
// words split out for the trigram fallback.

export const MAX_QUERY_LENGTH = 200;
const MAX_WORDS = 8;

export interface SearchQuery {
  /** The cleaned text, for websearch_to_tsquery. */
  text: string;
  /** Lower-case words of letters and digits, for per-word trigram similarity. */
  words: string[];
}

/** The cleaned query, or undefined when nothing searchable is left. */
export function normaliseSearchQuery(raw: string): SearchQuery | undefined {
  const text = raw
    .normalize('NFKC')
    .replace(/\p{C}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_QUERY_LENGTH);
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, MAX_WORDS);
  if (words.length === 0) return undefined;
  return { text, words };
}

/** Below this many full-text matches (or a full page, if smaller) the trigram search tops up. */
export const FUZZY_TOP_UP_BELOW = 5;

/** How many trigram matches to add after `found` full-text matches; 0 when full text found enough. */
export function fuzzyTopUp(found: number, limit: number): number {
  return found >= Math.min(limit, FUZZY_TOP_UP_BELOW) ? 0 : limit - found;
}
