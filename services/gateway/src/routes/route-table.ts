// The loaded, checked and compiled route table every part of the gateway reads.
import type { PathPattern } from './path-pattern.ts';
import type { RouteSpec, RouteTableFile, UpstreamSpec } from './route-table-schema.ts';

/** One side of a (canary) split. A single upstream is one target of weight 1. */
export interface SplitTarget {
  readonly upstream: string;
  readonly weight: number;
}

/**
 * A route ready for matching: the RouteSpec fields as written (header names lower-cased), the
 * spec itself, and what was precompiled from it.
 */
export type CompiledRoute = RouteSpec & {
  /** The route as in the (normalised) file. */
  readonly spec: RouteSpec;
  /** Position in the table (first match wins). */
  readonly index: number;
  /** Allowed methods, HEAD included when GET is; undefined = any method. */
  readonly methodSet: ReadonlySet<string> | undefined;
  /** Lower-cased Host to match (port ignored), or undefined for any host. */
  readonly hostMatch: string | undefined;
  /** Required request headers, names lower-cased. */
  readonly headerMatch: readonly (readonly [string, string])[];
  readonly pathPattern: PathPattern;
  readonly rewritePattern: PathPattern;
  /** Split targets (one for a plain upstream), and the sum of their weights (> 0). */
  readonly targets: readonly SplitTarget[];
  readonly totalWeight: number;
  /** Every upstream the route may send to. */
  readonly upstreamNames: readonly string[];
  /** May a client at this IP use the route (ipAllow/ipDeny, deny wins)? Undefined: no rules, anyone. */
  readonly clientAllowed: ((ip: string) => boolean) | undefined;
  /** `transform.response.body` compiled (a pure JSON → JSON function), if any. */
  readonly responseBody: ((value: unknown) => unknown) | undefined;
};

export interface RouteTable {
  /** sha256 of the file text, 12 hex digits: changes whenever the file does. */
  readonly version: string;
  /** Where it was loaded from (for messages and the admin API). */
  readonly source: string;
  /** The file as parsed, header names lower-cased; deeply frozen. */
  readonly file: RouteTableFile;
  readonly routes: readonly CompiledRoute[];
  readonly routesByName: ReadonlyMap<string, CompiledRoute>;
  readonly upstreams: ReadonlyMap<string, UpstreamSpec>;
}

/** One problem in a route table file, located by JSON pointer (`/routes/3/rewrite`). */
export interface RouteTableProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * A route table that cannot be used. The message names the file and lists each problem on its
 * own line as `<json pointer>: <message>`; `problems` has them structured.
 */
export class RouteTableError extends Error {
  readonly source: string;
  readonly problems: readonly RouteTableProblem[];

  constructor(source: string, problems: readonly RouteTableProblem[]) {
    const lines = problems.map((p) => `  ${p.path === '' ? '/' : p.path}: ${p.message}`);
    super(
      `route table ${source} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.name = 'RouteTableError';
    this.source = source;
    this.problems = problems;
  }
}
