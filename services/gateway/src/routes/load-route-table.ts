// Loading the route table: parse, check against the schema and for meaning, then compile every
// route once so matching a request does no parsing. A table either loads whole or not at all.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { compileIpRules } from '../edge/ip-filter.ts';
import { compileBodyOps } from '../shaping/body-ops.ts';
import { type PathPattern, parsePathPattern } from './path-pattern.ts';
import { type CompiledRoute, type RouteTable, RouteTableError, type SplitTarget } from './route-table.ts';
import type { HeaderOps, RouteSpec, RouteTableFile, UpstreamSpec } from './route-table-schema.ts';
import { schemaProblems } from './schema-problems.ts';
import { semanticProblems } from './semantic-problems.ts';

export { RouteTableError } from './route-table.ts';

/**
 * Check and compile an already parsed route table. `source` names it in errors (the file path);
 * `text`, when given, is the file's text for the version hash (else the JSON is hashed).
 * Throws RouteTableError listing every problem found.
 */
export function parseRouteTable(json: unknown, source: string, text?: string): RouteTable {
  const problems = schemaProblems(json);
  if (problems.length > 0) throw new RouteTableError(source, problems);
  const copy = structuredClone(json) as RouteTableFile;
  const meaning = semanticProblems(copy); // before lower-casing, which would hide `X-A` vs `x-a`
  if (meaning.length > 0) throw new RouteTableError(source, meaning);
  const file = deepFreeze(normalise(copy));
  const routes = file.routes.map((spec, index) => compileRoute(spec, index));
  return {
    version: createHash('sha256')
      .update(text ?? JSON.stringify(json))
      .digest('hex')
      .slice(0, 12),
    source,
    file,
    routes,
    routesByName: new Map(routes.map((r) => [r.name, r])),
    upstreams: new Map<string, UpstreamSpec>(Object.entries(file.upstreams)),
  };
}

/** Read, parse and check the route table file at `path` (RouteTableError if unusable). */
export async function loadRouteTable(path: string): Promise<RouteTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new RouteTableError(path, [{ path: '', message: `cannot read: ${(err as Error).message}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RouteTableError(path, [{ path: '', message: `not valid JSON: ${(err as Error).message}` }]);
  }
  return parseRouteTable(json, path, text);
}

/** Header names lower-cased wherever the table names headers (they are case-insensitive). */
function normalise(file: RouteTableFile): RouteTableFile {
  for (const route of file.routes) {
    if (route.match.headers !== undefined) route.match.headers = lowerKeys(route.match.headers);
    if (route.match.host !== undefined) route.match.host = route.match.host.toLowerCase().replace(/\.$/, '');
    lowerOps(route.transform?.request?.headers);
    lowerOps(route.transform?.response?.headers);
    if (route.cache?.vary !== undefined) route.cache.vary = route.cache.vary.map((n) => n.toLowerCase());
  }
  return file;
}

function lowerOps(ops: HeaderOps | undefined): void {
  if (ops === undefined) return;
  if (ops.remove !== undefined) ops.remove = ops.remove.map((n) => n.toLowerCase());
  if (ops.rename !== undefined) {
    ops.rename = Object.fromEntries(
      Object.entries(ops.rename).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]),
    );
  }
  if (ops.set !== undefined) ops.set = lowerKeys(ops.set);
}

function lowerKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
}

function compileRoute(spec: RouteSpec, index: number): CompiledRoute {
  const targets: SplitTarget[] =
    typeof spec.upstream === 'string'
      ? [{ upstream: spec.upstream, weight: 1 }]
      : spec.upstream.map((t) => ({ ...t }));
  let methodSet: Set<string> | undefined;
  if (spec.match.methods !== undefined) {
    methodSet = new Set(spec.match.methods);
    if (methodSet.has('GET')) methodSet.add('HEAD');
  }
  const body = spec.transform?.response?.body;
  return {
    ...spec,
    spec,
    index,
    methodSet,
    hostMatch: spec.match.host,
    headerMatch: Object.entries(spec.match.headers ?? {}),
    pathPattern: patternOf(spec.match.path),
    rewritePattern: patternOf(spec.rewrite),
    targets,
    totalWeight: targets.reduce((sum, t) => sum + t.weight, 0),
    upstreamNames: [...new Set(targets.map((t) => t.upstream))],
    clientAllowed: compileIpRules({ allow: spec.ipAllow, deny: spec.ipDeny }),
    responseBody: body === undefined ? undefined : compileBodyOps(body),
  };
}

function patternOf(path: string): PathPattern {
  const parsed = parsePathPattern(path);
  if ('error' in parsed) throw new Error(`unchecked pattern ${path}`); // semanticProblems refused it already
  return parsed.pattern;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
