// Route path patterns (`/api/products/:id/reviews`, `/api/products/**`) and rewrite templates,
// parsed once when the table loads so matching a request is a walk over an array of segments.
import { normalizePath } from './normalize-path.ts';

/** One segment of a pattern: literal text (already in normalised form) or a `:param`. */
export type PatternSegment = { readonly literal: string } | { readonly param: string };

/** A parsed pattern: its fixed segments and whether a final `**` takes any rest. */
export interface PathPattern {
  readonly source: string;
  readonly segments: readonly PatternSegment[];
  /** A final `**`: matches nothing or any further segments. */
  readonly rest: boolean;
  readonly params: readonly string[];
}

const PARAM = /^:[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parse `path`, refusing anything a normalised request path could never equal (so a route that
 * cannot match is an error at load, not a silent 404): it must be in normalised form, `**` only
 * as the final segment, params named like identifiers and unique.
 */
export function parsePathPattern(path: string): { pattern: PathPattern } | { error: string } {
  const normal = normalizePath(path);
  if ('error' in normal) return { error: `is not a valid path (${normal.error})` };
  if (normal.query !== '') return { error: 'must not contain a query (?)' };
  if (normal.path !== path) {
    return { error: `must be in normalised form (no //, . or .. segments, no %-escapes of letters)` };
  }
  const raw = path === '/' ? [] : path.slice(1).split('/');
  const segments: PatternSegment[] = [];
  const params: string[] = [];
  let rest = false;
  for (let i = 0; i < raw.length; i++) {
    const seg = raw[i]!;
    if (seg === '**') {
      if (i !== raw.length - 1) return { error: '`**` is allowed only as the final segment' };
      rest = true;
    } else if (seg.includes('*')) {
      return { error: `segment "${seg}": \`*\` is allowed only as a whole final \`**\` segment` };
    } else if (seg.startsWith(':')) {
      if (!PARAM.test(seg)) return { error: `segment "${seg}": a param is \`:\` and a name like \`id\`` };
      const name = seg.slice(1);
      if (params.includes(name)) return { error: `param :${name} appears twice` };
      params.push(name);
      segments.push({ param: name });
    } else {
      segments.push({ literal: seg });
    }
  }
  return { pattern: { source: path, segments, rest, params } };
}

/** The request path as segments, the form matchPattern takes (`/` → [], `/a/` → ['a', '']). */
export function pathSegments(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/**
 * Match request segments against a pattern. Returns false, or the captured params (decoded) and
 * the `**` rest (still in normalised, encoded form). Params never match an empty segment.
 */
export function matchPattern(
  pattern: PathPattern,
  segs: readonly string[],
): false | { params: Record<string, string>; rest: string } {
  const fixed = pattern.segments;
  if (pattern.rest ? segs.length < fixed.length : segs.length !== fixed.length) return false;
  let params: Record<string, string> | undefined;
  for (let i = 0; i < fixed.length; i++) {
    const want = fixed[i]!;
    const got = segs[i]!;
    if ('literal' in want) {
      if (want.literal !== got) return false;
    } else {
      if (got === '') return false;
      params ??= {};
      // Safe: normalizePath guarantees every escape left decodes as UTF-8.
      params[want.param] = got.includes('%') ? decodeURIComponent(got) : got;
    }
  }
  const rest = pattern.rest && segs.length > fixed.length ? segs.slice(fixed.length).join('/') : '';
  return { params: params ?? {}, rest };
}
