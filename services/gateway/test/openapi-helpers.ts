// Shared by the openapi-* tests: a structural OpenAPI 3.1 check (every $ref resolves inside the
// document, path templates and path parameters agree, security names exist, ...) and a little
// sugar for reading operations out of a merged document.
import assert from 'node:assert/strict';
import {
  isJsonObject,
  type JsonObject,
  OPENAPI_METHODS,
  type OpenApiDocument,
} from '../src/openapi/openapi-types.ts';
import type { RouteSpec, RouteTableFile } from '../src/routes/route-table-schema.ts';

/** Resolves a local JSON pointer (`#/components/schemas/X`) inside `doc`, or undefined. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const tokens = ref
    .slice(1)
    .split('/')
    .slice(1)
    .map((t) => decodeURIComponent(t).replaceAll('~1', '/').replaceAll('~0', '~'));
  let node: unknown = doc;
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isJsonObject(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

/** Follows `$ref`s (several in a row) to the object they name. */
export function deref(doc: unknown, node: unknown): unknown {
  let current = node;
  for (let i = 0; i < 20 && isJsonObject(current) && typeof current.$ref === 'string'; i++) {
    current = resolvePointer(doc, current.$ref);
  }
  return current;
}

function* walk(node: unknown, at: string): Generator<[unknown, string]> {
  yield [node, at];
  if (Array.isArray(node)) for (const [i, item] of node.entries()) yield* walk(item, `${at}/${i}`);
  else if (isJsonObject(node)) for (const [k, v] of Object.entries(node)) yield* walk(v, `${at}/${k}`);
}

/** Every problem found; empty means the document passes. */
export function openApiProblems(doc: OpenApiDocument): string[] {
  const problems: string[] = [];
  if (!/^3\.1\.\d+$/.test(doc.openapi)) problems.push(`openapi is ${doc.openapi}`);
  if (typeof doc.info?.title !== 'string' || typeof doc.info?.version !== 'string')
    problems.push('info incomplete');
  if (!isJsonObject(doc.paths)) problems.push('no paths');

  for (const [node, at] of walk(doc, '#')) {
    if (!isJsonObject(node) || typeof node.$ref !== 'string') continue;
    if (!node.$ref.startsWith('#/')) problems.push(`${at}: non-local $ref ${node.$ref}`);
    else if (resolvePointer(doc, node.$ref) === undefined)
      problems.push(`${at}: $ref ${node.$ref} does not resolve`);
  }
  for (const [kind, entries] of Object.entries(doc.components ?? {})) {
    for (const name of Object.keys(entries)) {
      if (!/^[a-zA-Z0-9._-]+$/.test(name)) problems.push(`component name ${kind}/${name} is not allowed`);
    }
  }

  const schemes = new Set(Object.keys(doc.components?.securitySchemes ?? {}));
  const tags = new Set((doc.tags ?? []).map((t) => t.name));
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!path.startsWith('/')) problems.push(`${path}: path must start with /`);
    const template = [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
    if (new Set(template).size !== template.length) problems.push(`${path}: a template name repeats`);
    for (const method of OPENAPI_METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (!isJsonObject(op)) {
        problems.push(`${where}: not an object`);
        continue;
      }
      const params = (Array.isArray(op.parameters) ? op.parameters : []).map((p) => deref(doc, p));
      const seen = new Set<string>();
      for (const p of params) {
        if (!isJsonObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') {
          problems.push(`${where}: malformed parameter`);
          continue;
        }
        const key = `${p.in}:${p.name}`;
        if (seen.has(key)) problems.push(`${where}: parameter ${key} twice`);
        seen.add(key);
        if (p.in === 'path') {
          if (!template.includes(p.name)) problems.push(`${where}: path parameter ${p.name} not in the path`);
          if (p.required !== true) problems.push(`${where}: path parameter ${p.name} not required`);
        }
      }
      for (const name of template) {
        if (!seen.has(`path:${name}`)) problems.push(`${where}: {${name}} not declared`);
      }
      const responses = op.responses;
      if (!isJsonObject(responses) || Object.keys(responses).length === 0)
        problems.push(`${where}: no responses`);
      else {
        for (const [code, r] of Object.entries(responses)) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) problems.push(`${where}: response key ${code}`);
          const resolved = deref(doc, r);
          if (!isJsonObject(resolved) || typeof resolved.description !== 'string') {
            problems.push(`${where}: response ${code} has no description`);
          }
        }
      }
      if (Array.isArray(op.security)) {
        for (const requirement of op.security) {
          for (const name of Object.keys(isJsonObject(requirement) ? requirement : {})) {
            if (!schemes.has(name)) problems.push(`${where}: unknown security scheme ${name}`);
          }
        }
      }
      for (const tag of Array.isArray(op.tags) ? op.tags : []) {
        if (!tags.has(String(tag))) problems.push(`${where}: tag ${String(tag)} not declared`);
      }
      if (typeof op.operationId === 'string') {
        if (operationIds.has(op.operationId))
          problems.push(`${where}: operationId ${op.operationId} repeats`);
        operationIds.add(op.operationId);
      }
    }
  }
  return problems;
}

export function assertValidOpenApi(doc: OpenApiDocument): void {
  assert.deepEqual(openApiProblems(doc), []);
}

/** The operation at `method path`, failing the test when it is missing. */
export function operation(doc: OpenApiDocument, method: string, path: string): JsonObject {
  const op = doc.paths?.[path]?.[method];
  assert.ok(isJsonObject(op), `${method.toUpperCase()} ${path} is not in the document`);
  return op;
}

/** `METHOD path` of every operation, sorted: easy to compare as a whole. */
export function operationList(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths ?? {})
    .flatMap(([path, item]) =>
      OPENAPI_METHODS.filter((m) => item[m] !== undefined).map((m) => `${m.toUpperCase()} ${path}`),
    )
    .sort();
}

/** A route with defaults for what a test does not care about. */
export function route(
  spec: Partial<RouteSpec> & Pick<RouteSpec, 'name' | 'match' | 'rewrite' | 'upstream'>,
): RouteSpec {
  return { auth: 'public', ...spec };
}

/** Upstreams named after their service, as the real table has them. */
export function upstreamsFor(...services: string[]): Map<string, RouteTableFile['upstreams'][string]> {
  return new Map(services.map((service) => [service, { service }]));
}
