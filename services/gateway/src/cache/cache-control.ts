// Cache-Control (RFC 9111 §5.2) as a map of lower-cased directive → argument (`true` without one).

export type Directives = ReadonlyMap<string, string | true>;

/** Parses one or more Cache-Control field values; the first occurrence of a directive wins. */
export function parseCacheControl(value: string | readonly string[] | undefined): Directives {
  const directives = new Map<string, string | true>();
  if (value === undefined) return directives;
  const text = typeof value === 'string' ? value : value.join(',');
  for (const part of splitOutsideQuotes(text)) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '' || directives.has(name)) continue;
    if (eq === -1) {
      directives.set(name, true);
      continue;
    }
    const raw = part.slice(eq + 1).trim();
    directives.set(name, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
  }
  return directives;
}

/**
 * A delta-seconds directive (`max-age=60`): its value, undefined when absent, and 0 when present
 * but invalid (RFC 9111 §1.2.2 and §4.2.1: an invalid freshness lifetime means stale).
 */
export function deltaSeconds(directives: Directives, name: string): number | undefined {
  const argument = directives.get(name);
  if (argument === undefined) return undefined;
  if (argument === true || !/^\d+$/.test(argument)) return 0;
  return Math.min(Number(argument), 2 ** 31);
}

/** Comma-separated parts, where a comma inside a quoted string (`private="a, b"`) does not split. */
function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
