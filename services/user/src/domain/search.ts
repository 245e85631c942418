// The admin search term as an ILIKE pattern: the term's own % _ and \ match themselves, so a
// search for "a_b" does not match "axb" and "%" cannot turn into "match everything".

export const MAX_SEARCH_LENGTH = 100;

/** `%term%` with LIKE wildcards escaped (use with `ESCAPE '\'`). */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
