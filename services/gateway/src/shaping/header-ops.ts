// Per-route header operations from the route table (`transform.*.headers`).
import type { HeaderOps } from '../routes/route-table-schema.ts';

type Headers = Record<string, string | string[] | undefined>;

interface LoweredOps {
  readonly remove: readonly string[];
  readonly rename: readonly (readonly [string, string])[];
  readonly set: readonly (readonly [string, string])[];
}

// The table's names are lower-cased once per ops object (the route table is immutable).
const lowered = new WeakMap<HeaderOps, LoweredOps>();

function lower(ops: HeaderOps): LoweredOps {
  let l = lowered.get(ops);
  if (l === undefined) {
    l = {
      remove: (ops.remove ?? []).map((n) => n.toLowerCase()),
      rename: Object.entries(ops.rename ?? {}).map(
        ([from, to]) => [from.toLowerCase(), to.toLowerCase()] as const,
      ),
      set: Object.entries(ops.set ?? {}).map(([name, value]) => [name.toLowerCase(), value] as const),
    };
    lowered.set(ops, l);
  }
  return l;
}

/** Delete every key equal to `name` ignoring case; returns the first value found. */
function take(headers: Headers, name: string): string | string[] | undefined {
  let found: string | string[] | undefined;
  if (Object.hasOwn(headers, name)) {
    found = headers[name];
    delete headers[name];
  }
  for (const key of Object.keys(headers)) {
    if (key.length === name.length && key.toLowerCase() === name) {
      found ??= headers[key];
      delete headers[key];
    }
  }
  return found;
}

/**
 * Apply header ops in place, in the order remove → rename → set; names match ignoring case and
 * are written lower-case. A rename of a header that is absent does nothing; set replaces.
 */
export function applyHeaderOps(headers: Headers, ops: HeaderOps | undefined): void {
  if (ops === undefined) return;
  const l = lower(ops);
  for (const name of l.remove) take(headers, name);
  for (const [from, to] of l.rename) {
    const value = take(headers, from);
    if (value === undefined) continue;
    take(headers, to);
    headers[to] = value;
  }
  for (const [name, value] of l.set) {
    take(headers, name);
    headers[name] = value;
  }
}
