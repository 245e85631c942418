// Path templates on both sides of a route: the route table's patterns (`/api/products/:id/**`) and
// the services' OpenAPI paths (`/products/{id}/reviews`). Running a route's rewrite backwards turns
// a service path into the public path the gateway answers on.

/** One path segment: literal text, a one-segment parameter, or the final `**` (any rest). */
export type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'rest' };

function split(path: string): string[] {
  // Empty segments (double or trailing slashes) carry no meaning in either notation.
  return path.split('/').filter((s) => s !== '');
}

/** A route-table pattern: `:name` is a parameter, a final `**` the rest; anything else literal. */
export function parseRoutePattern(pattern: string): Segment[] {
  const parts = split(pattern);
  return parts.map((part, i): Segment => {
    if (part === '**' && i === parts.length - 1) return { kind: 'rest' };
    if (part.startsWith(':') && part.length > 1) return { kind: 'param', name: part.slice(1) };
    return { kind: 'literal', value: part };
  });
}

/**
 * An OpenAPI path: a whole-segment `{name}` is a parameter. A segment mixing text and a template
 * (`{name}.json`) stays literal text: copied as is into the public path, it keeps its parameter.
 */
export function parseOpenApiPath(path: string): Segment[] {
  return split(path).map((part): Segment => {
    const whole = /^\{([^{}]+)\}$/.exec(part);
    return whole?.[1] === undefined ? { kind: 'literal', value: part } : { kind: 'param', name: whole[1] };
  });
}

/** Segments back to an OpenAPI path (`{name}` for parameters). */
export function formatOpenApiPath(segments: readonly Segment[]): string {
  const parts = segments.map((s) =>
    s.kind === 'literal' ? s.value : s.kind === 'param' ? `{${s.name}}` : '**',
  );
  return `/${parts.join('/')}`;
}

/** The public path a service path is reachable on through one route, if any. */
export interface InvertedPath {
  /** Public path in OpenAPI notation. */
  segments: Segment[];
  /** Service path parameters the rewrite fills with fixed text (`/me` → `/users/{id}`): dropped from the operation. */
  fixedParams: Map<string, string>;
  /** Route parameters of the public path the service never sees (not used by the rewrite): declared as strings. */
  extraParams: string[];
  /** Literal segments of the service path: the router prefers static segments, so more is more specific. */
  specificity: number;
}

/**
 * Runs a route's rewrite backwards: which public path (match side) leads to `servicePath`?
 * Returns undefined when the rewrite can never produce that service path.
 */
export function invertRewrite(
  match: readonly Segment[],
  rewrite: readonly Segment[],
  servicePath: readonly Segment[],
): InvertedPath | undefined {
  const bound = new Map<string, Segment>();
  const fixedParams = new Map<string, string>();
  let rest: Segment[] | undefined;
  for (const [i, seg] of rewrite.entries()) {
    if (seg.kind === 'rest') {
      rest = servicePath.slice(i);
      break;
    }
    const target = servicePath[i];
    if (target === undefined) return undefined;
    if (seg.kind === 'param') {
      bound.set(seg.name, target);
    } else if (target.kind === 'literal') {
      if (target.value !== seg.value) return undefined;
    } else if (target.kind === 'param') {
      fixedParams.set(target.name, seg.value);
    }
  }
  if (rest === undefined && servicePath.length !== rewrite.length) return undefined;

  const segments: Segment[] = [];
  const extraParams: string[] = [];
  let usedRest = false;
  for (const seg of match) {
    if (seg.kind === 'literal') segments.push(seg);
    else if (seg.kind === 'rest') {
      segments.push(...(rest ?? []));
      usedRest = true;
    } else {
      const value = bound.get(seg.name);
      if (value === undefined) {
        segments.push(seg);
        extraParams.push(seg.name);
      } else segments.push(value);
    }
  }
  // A rewrite `**` the public side has no `**` for only ever receives the empty rest.
  if (!usedRest && rest !== undefined && rest.length > 0) return undefined;
  const specificity = servicePath.filter((s) => s.kind === 'literal').length;
  return { segments, fixedParams, extraParams, specificity };
}

/**
 * Whether a route pattern matches every concrete path the template stands for. A template
 * parameter can be any text, so only a pattern parameter or `**` covers it; a literal pattern
 * segment covers only the same literal.
 */
export function patternCovers(pattern: readonly Segment[], template: readonly Segment[]): boolean {
  for (const [i, seg] of pattern.entries()) {
    if (seg.kind === 'rest') return true;
    const t = template[i];
    if (t === undefined) return false;
    if (seg.kind === 'literal' && (t.kind !== 'literal' || t.value !== seg.value)) return false;
  }
  return template.length === pattern.length;
}

/** The public path of a route whose service description is missing: `:id` → `{id}`, `**` dropped. */
export function patternPrefix(pattern: readonly Segment[]): Segment[] {
  return pattern.filter((s) => s.kind !== 'rest');
}
