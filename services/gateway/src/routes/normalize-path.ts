// Path normalisation for the edge: one canonical form per path, so that route matching, the cache
// key and the path sent upstream all agree, and no spelling of a path can climb out of the prefix
// a route matched (`%2e%2e`, `//`, encoded slashes, backslashes).

/** The longest request target (path + query) accepted by default; longer ones get 414. */
export const MAX_URL_LENGTH = 8192;

/** A normalised request target: `path` starts with `/`; `query` is the raw query without `?`. */
export interface NormalizedPath {
  readonly path: string;
  readonly query: string;
}

/** Why a request target was refused; `status` is 400 (malformed or hostile) or 414 (too long). */
export interface PathError {
  readonly error: string;
  readonly status: 400 | 414;
}

export interface NormalizeOptions {
  /** Default MAX_URL_LENGTH. */
  readonly maxLength?: number;
}

/** True when `rawUrl` is within `max` characters (checked before any parsing work). */
export function urlLengthOk(rawUrl: string, max: number = MAX_URL_LENGTH): boolean {
  return rawUrl.length <= max;
}

const HEX = '0123456789ABCDEF';
// RFC 3986 unreserved characters: the only escapes that are decoded (they mean the same decoded).
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
// Characters allowed raw in a path segment (pchar minus pct-encoded) — anything else is re-encoded.
const PCHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;
// Already canonical: non-empty segments of raw pchars, none of them `.`/`..` (or `..;x`).
const CANONICAL = /^(?:\/(?!\.\.?(?:\/|;|$))[A-Za-z0-9\-._~!$&'()*+,;=:@]+)*\/?$/;
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;
const utf8 = new TextEncoder();

/**
 * Normalise a raw request target (`req.url`): decode escapes of unreserved characters only (other
 * escapes stay, with upper-case hex), re-encode raw characters that are not allowed in a path
 * (non-ASCII as UTF-8), collapse `//`, resolve `.` and `..` (however spelled) and refuse what could
 * be read two ways: encoded `/` or `\`, raw `\`, NUL and control characters, malformed escapes or
 * UTF-8, a `..` above the root, and `..;`-style segments. The query is kept as sent.
 */
export function normalizePath(rawUrl: string, options: NormalizeOptions = {}): NormalizedPath | PathError {
  if (!urlLengthOk(rawUrl, options.maxLength)) return { error: 'request target too long', status: 414 };
  let target = rawUrl;
  // Absolute form (`GET http://host/path`) is legal HTTP/1.1; the host comes from the Host header.
  const absolute = ABSOLUTE_FORM.exec(target);
  if (absolute !== null) target = target.slice(absolute[0].length) || '/';
  if (!target.startsWith('/')) return bad('request target must start with /');
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q + 1);
  if (rawPath.includes('#') || query.includes('#')) return bad('fragment not allowed in request target');
  for (let i = 0; i < query.length; i++) {
    const c = query.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return bad('control character in query');
  }

  if (CANONICAL.test(rawPath)) return { path: rawPath, query }; // the common case, one regex

  // Pass 1: canonical escapes, per character.
  let decoded = '';
  for (let i = 0; i < rawPath.length; i++) {
    const ch = rawPath[i]!;
    const code = ch.charCodeAt(0);
    if (ch === '%') {
      const h1 = rawPath[i + 1];
      const h2 = rawPath[i + 2];
      if (h1 === undefined || h2 === undefined || !isHex(h1) || !isHex(h2))
        return bad('malformed percent-escape');
      const byte = Number.parseInt(h1 + h2, 16);
      if (byte === 0x2f) return bad('encoded slash (%2F) in path');
      if (byte === 0x5c) return bad('encoded backslash (%5C) in path');
      if (byte < 0x20 || byte === 0x7f) return bad('encoded control character in path');
      const char = String.fromCharCode(byte);
      decoded += UNRESERVED.test(char) ? char : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
      i += 2;
    } else if (code < 0x20 || code === 0x7f) {
      return bad('control character in path');
    } else if (ch === '\\') {
      return bad('backslash in path');
    } else if (ch === '/' || PCHAR.test(ch)) {
      decoded += ch;
    } else {
      // Raw characters a strict parser would not accept (space, quotes, braces, non-ASCII...):
      // encode them so the upstream sees one unambiguous spelling.
      const cp = rawPath.codePointAt(i)!;
      if (cp >= 0xd800 && cp <= 0xdfff) return bad('malformed unicode in path');
      const text = String.fromCodePoint(cp);
      for (const b of utf8.encode(text)) decoded += `%${HEX[b >> 4]}${HEX[b & 15]}`;
      i += text.length - 1;
    }
  }
  // Remaining escapes must form valid UTF-8, so params can always be decoded.
  try {
    decodeURIComponent(decoded);
  } catch {
    return bad('malformed UTF-8 in path escapes');
  }

  // Pass 2: segments. Empty segments collapse (`//`), except the trailing one that keeps a final `/`.
  const parts = decoded.split('/');
  const out: string[] = [];
  const last = parts.length - 1;
  let trailingSlash = false;
  for (let i = 1; i <= last; i++) {
    const seg = parts[i]!;
    if (seg === '' || seg === '.') {
      if (i === last) trailingSlash = true;
      continue;
    }
    if (seg === '..') {
      if (out.length === 0) return bad('path climbs above the root');
      out.pop();
      if (i === last) trailingSlash = true;
      continue;
    }
    const semi = seg.indexOf(';');
    if (semi !== -1) {
      const head = seg.slice(0, semi);
      if (head === '.' || head === '..') return bad('dot segment with parameters in path');
    }
    out.push(seg);
    trailingSlash = false;
  }
  const path = out.length === 0 ? '/' : `/${out.join('/')}${trailingSlash ? '/' : ''}`;
  return { path, query };
}

/** True when normalizePath refused the target. */
export function isPathError(result: NormalizedPath | PathError): result is PathError {
  return 'error' in result;
}

function bad(error: string): PathError {
  return { error, status: 400 };
}

function isHex(c: string): boolean {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
