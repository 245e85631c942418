// TypeBox validation errors of the route table as one readable line per problem.
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Settings } from 'typebox/system';
import type { RouteTableProblem } from './route-table.ts';
import { RouteSchema, RouteTableFileSchema, UpstreamSchema } from './route-table-schema.ts';

interface RawError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

const fileChecker = Compile(RouteTableFileSchema);
const routeChecker = Compile(RouteSchema);
const upstreamChecker = Compile(UpstreamSchema);

/**
 * Every schema problem of a route table file, or [] when it is valid. `anyOf` noise is folded
 * into one line ("must be one of ...", or the errors of the branch that got furthest).
 */
export function schemaProblems(json: unknown): RouteTableProblem[] {
  if (fileChecker.Check(json)) return [];
  if (!isRecord(json)) return [{ path: '', message: 'must be a JSON object' }];
  // TypeBox stops at the first bad item of an array (and at the first bad property of the file),
  // so the file is checked part by part, and routes and upstreams one by one.
  const problems: RouteTableProblem[] = [];
  const { properties, required } = RouteTableFileSchema;
  for (const name of required) {
    if (!Object.hasOwn(json, name)) problems.push({ path: `/${name}`, message: 'is required' });
  }
  for (const [name, value] of Object.entries(json)) {
    const at = `/${pointerEscape(name)}`;
    if (!Object.hasOwn(properties, name)) {
      problems.push({ path: at, message: 'is not an allowed property' });
    } else if (name === 'routes' && Array.isArray(value)) {
      if (value.length === 0) problems.push({ path: at, message: 'must list at least one route' });
      value.forEach((route, i) => {
        problems.push(...itemProblems(routeChecker, route, `${at}/${i}`));
      });
    } else if (name === 'upstreams' && isRecord(value)) {
      for (const [key, upstream] of Object.entries(value)) {
        problems.push(...itemProblems(upstreamChecker, upstream, `${at}/${pointerEscape(key)}`));
      }
    } else {
      problems.push(...itemProblems(partCheckers.get(name)!, value, at));
    }
  }
  // Should the parts pass but the whole not, say what the whole-file check says.
  if (problems.length === 0) problems.push(...describe(allErrors(fileChecker, json)));
  return dedupe(problems);
}

const partCheckers = new Map<string, Checker>(
  Object.entries(RouteTableFileSchema.properties).map(([name, schema]) => [name, Compile(schema as TSchema)]),
);

interface Checker {
  Check(v: unknown): boolean;
  Errors(v: unknown): unknown[];
}

function itemProblems(checker: Checker, value: unknown, prefix: string): RouteTableProblem[] {
  if (checker.Check(value)) return [];
  const errors = allErrors(checker, value).map((e) => ({ ...e, instancePath: prefix + e.instancePath }));
  return describe(errors);
}

const MAX_ERRORS = 200;

/** TypeBox stops after `maxErrors` (a process-wide setting, 8 by default): raise it for this call only. */
function allErrors(checker: Checker, value: unknown): RawError[] {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: MAX_ERRORS });
  try {
    return checker.Errors(value) as RawError[];
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}

function describe(errors: RawError[]): RouteTableProblem[] {
  let list = errors;
  // Fold anyOf groups, innermost first, each into its own line(s).
  const anyOfs = list
    .filter((e) => e.keyword === 'anyOf')
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const group of anyOfs) {
    const inside = `${group.schemaPath}/anyOf/`;
    const children = list.filter((e) => e.schemaPath.startsWith(inside));
    const depth = (e: RawError) => e.instancePath.split('/').length;
    const deepest = Math.max(...children.map(depth), 0);
    let replacement: RawError[];
    if (deepest > depth(group)) {
      replacement = children
        .filter((e) => depth(e) === deepest)
        .map((e) => ({ ...e, schemaPath: group.schemaPath }));
    } else {
      const forms = children.map((e) =>
        e.keyword === 'const'
          ? JSON.stringify(e.params.allowedValue)
          : e.keyword === 'type'
            ? article(String(e.params.type))
            : '',
      );
      const known = [...new Set(forms.filter((f) => f !== ''))];
      const message =
        known.length > 0 ? `must be one of ${known.join(', ')}` : 'does not match any allowed form';
      replacement = [{ ...group, keyword: 'folded', message }];
    }
    list = list.filter((e) => e !== group && !children.includes(e));
    list.push(...replacement);
  }
  const out: RouteTableProblem[] = [];
  for (const e of list) {
    if (e.keyword === 'required') {
      for (const name of namesOf(e.params.requiredProperties ?? e.params.missingProperty)) {
        out.push({ path: `${e.instancePath}/${pointerEscape(name)}`, message: 'is required' });
      }
    } else if (e.keyword === 'additionalProperties') {
      for (const name of namesOf(e.params.additionalProperties ?? e.params.additionalProperty)) {
        out.push({ path: `${e.instancePath}/${pointerEscape(name)}`, message: 'is not an allowed property' });
      }
    } else if (e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties')) {
      // TypeBox reports `additionalProperties: false` twice; the line above already said it.
    } else {
      out.push({ path: e.instancePath, message: e.message });
    }
  }
  return out;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function dedupe(problems: RouteTableProblem[]): RouteTableProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function namesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined ? [] : [String(value)];
}

/** JSON pointer escaping (RFC 6901). */
export function pointerEscape(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
