// The checks a JSON schema cannot express: references between parts of the table, and values
// that have a syntax of their own (paths, CIDRs, header names).
import { BlockList } from 'node:net';
import { addCidr } from '../edge/ip-address.ts';
import { type PathPattern, parsePathPattern } from './path-pattern.ts';
import type { RouteTableProblem } from './route-table.ts';
import type { HeaderOps, RouteSpec, RouteTableFile } from './route-table-schema.ts';
import { pointerEscape } from './schema-problems.ts';

const NAME = /^[a-z][a-z0-9_.-]{0,62}$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HOST =
  /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)$/;

/** Problems in a schema-valid table's meaning; [] when it is consistent. */
export function semanticProblems(file: RouteTableFile): RouteTableProblem[] {
  const problems: RouteTableProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  // Record keys: the schema's patternProperties let other keys through silently.
  for (const name of Object.keys(file.upstreams)) {
    if (!NAME.test(name)) add(`/upstreams/${pointerEscape(name)}`, `upstream name must match ${NAME.source}`);
  }
  const buckets = file.rateLimits.buckets ?? {};
  for (const name of Object.keys(buckets)) {
    if (!NAME.test(name))
      add(`/rateLimits/buckets/${pointerEscape(name)}`, `bucket name must match ${NAME.source}`);
  }

  const firstByName = new Map<string, number>();
  const cacheTags = new Set<string>();
  file.routes.forEach((route, i) => {
    const at = `/routes/${i}`;
    const seen = firstByName.get(route.name);
    if (seen === undefined) firstByName.set(route.name, i);
    else add(`${at}/name`, `duplicate route name "${route.name}" (first at /routes/${seen})`);

    const match = parsePathPattern(route.match.path);
    if ('error' in match) add(`${at}/match/path`, `${JSON.stringify(route.match.path)} ${match.error}`);
    const rewrite = parsePathPattern(route.rewrite);
    if ('error' in rewrite) add(`${at}/rewrite`, `${JSON.stringify(route.rewrite)} ${rewrite.error}`);
    if ('pattern' in match && 'pattern' in rewrite)
      checkRewrite(match.pattern, rewrite.pattern, `${at}/rewrite`, add);

    checkUpstreams(route, at, file, add);
    route.rateLimit?.forEach((bucket, j) => {
      if (!Object.hasOwn(buckets, bucket))
        add(`${at}/rateLimit/${j}`, `unknown bucket "${bucket}" (not in /rateLimits/buckets)`);
    });
    if (route.match.host !== undefined && !HOST.test(route.match.host)) {
      add(`${at}/match/host`, `"${route.match.host}" is not a host name (no port, no scheme)`);
    }
    checkHeaderMap(route.match.headers, `${at}/match/headers`, add);
    checkHeaderOps(route.transform?.request?.headers, `${at}/transform/request/headers`, add);
    checkHeaderOps(route.transform?.response?.headers, `${at}/transform/response/headers`, add);
    route.cache?.vary?.forEach((name, j) => {
      if (!HEADER_NAME.test(name)) add(`${at}/cache/vary/${j}`, `"${name}" is not a header name`);
    });
    for (const tag of route.cache?.tags ?? []) cacheTags.add(tag);
    if (route.stream && route.cache !== undefined) add(`${at}/cache`, 'a stream route is never cached');
    if (route.stream && route.transform?.response?.body !== undefined) {
      add(`${at}/transform/response/body`, 'a stream has no JSON body to transform');
    }
    for (const field of ['ipAllow', 'ipDeny'] as const) {
      route[field]?.forEach((cidr, j) => {
        try {
          addCidr(new BlockList(), cidr, field);
        } catch {
          add(`${at}/${field}/${j}`, `"${cidr}" is not an IP address or CIDR`);
        }
      });
    }
  });

  for (const [prefix, tags] of Object.entries(file.purgeOn ?? {})) {
    tags.forEach((tag, j) => {
      if (!cacheTags.has(tag)) {
        add(`/purgeOn/${pointerEscape(prefix)}/${j}`, `tag "${tag}" is not in any route's cache.tags`);
      }
    });
  }
  return problems;
}

type Add = (path: string, message: string) => void;

function checkRewrite(match: PathPattern, rewrite: PathPattern, at: string, add: Add): void {
  for (const param of rewrite.params) {
    if (!match.params.includes(param))
      add(at, `uses :${param}, which match.path ${match.source} does not define`);
  }
  if (rewrite.rest && !match.rest) add(at, `uses **, which match.path ${match.source} does not end with`);
}

function checkUpstreams(route: RouteSpec, at: string, file: RouteTableFile, add: Add): void {
  const known = (name: string) => Object.hasOwn(file.upstreams, name);
  if (typeof route.upstream === 'string') {
    if (!known(route.upstream))
      add(`${at}/upstream`, `unknown upstream "${route.upstream}" (not in /upstreams)`);
    return;
  }
  let total = 0;
  const seen = new Set<string>();
  route.upstream.forEach((target, j) => {
    total += target.weight;
    if (!known(target.upstream)) {
      add(`${at}/upstream/${j}/upstream`, `unknown upstream "${target.upstream}" (not in /upstreams)`);
    }
    if (seen.has(target.upstream))
      add(`${at}/upstream/${j}/upstream`, `"${target.upstream}" is listed twice`);
    seen.add(target.upstream);
  });
  if (total <= 0) add(`${at}/upstream`, 'split weights must add up to more than 0');
}

function checkHeaderMap(map: Record<string, string> | undefined, at: string, add: Add, what = 'value'): void {
  if (map === undefined) return;
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(map)) {
    const here = `${at}/${pointerEscape(name)}`;
    if (!HEADER_NAME.test(name)) add(here, `"${name}" is not a header name`);
    const other = lower.get(name.toLowerCase());
    if (other !== undefined) add(here, `same header as "${other}" (names are case-insensitive)`);
    lower.set(name.toLowerCase(), name);
    if (what === 'value' && !HEADER_VALUE.test(value)) add(here, 'header value has control characters');
    if (what === 'name' && !HEADER_NAME.test(value)) add(here, `"${value}" is not a header name`);
  }
}

function checkHeaderOps(ops: HeaderOps | undefined, at: string, add: Add): void {
  if (ops === undefined) return;
  ops.remove?.forEach((name, j) => {
    if (!HEADER_NAME.test(name)) add(`${at}/remove/${j}`, `"${name}" is not a header name`);
  });
  checkHeaderMap(ops.rename, `${at}/rename`, add, 'name');
  checkHeaderMap(ops.set, `${at}/set`, add);
}
