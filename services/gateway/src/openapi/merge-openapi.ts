// One public OpenAPI document from the services' own: each service operation appears at the
// public path the route table exposes it on (and only if some route does), with the gateway's
// authentication, error responses and transformations written in. Pure: documents in, document out.
import type { RouteSpec, UpstreamSpec } from '../routes/route-table-schema.ts';
import { ComponentImporter } from './component-importer.ts';
import { addStandardErrors, authSentence, gatewayComponents, securityFor } from './gateway-components.ts';
import {
  isJsonObject,
  type JsonObject,
  OPENAPI_METHODS,
  type OpenApiDocument,
  type OpenApiMethod,
} from './openapi-types.ts';
import {
  formatOpenApiPath,
  type InvertedPath,
  invertRewrite,
  parseOpenApiPath,
  parseRoutePattern,
  patternCovers,
  patternPrefix,
  type Segment,
} from './path-template.ts';
import { schemaTransformFor } from './response-body-schema.ts';

export interface MergeOpenApiInput {
  /** `info.title` of the merged document. */
  title: string;
  /** `info.version` of the merged document. */
  version: string;
  /** The route table's routes, in table order (first match wins). */
  routes: readonly RouteSpec[];
  /** The route table's upstreams by name. */
  upstreams: ReadonlyMap<string, UpstreamSpec>;
  /** Each service's own document by service name; undefined when it could not be fetched. */
  documents: ReadonlyMap<string, OpenApiDocument | undefined>;
  /** The gateway's own endpoints (OpenAPI path items by path), published as given and winning over routes. */
  gatewayPaths?: Record<string, unknown>;
}

/** One operation the merge publishes. */
interface Published {
  path: Segment[];
  method: OpenApiMethod;
  operation: JsonObject;
}

/** A route's table position and parsed patterns, computed once. */
interface RouteEntry {
  route: RouteSpec;
  index: number;
  match: Segment[];
  rewrite: Segment[];
}

/**
 * Merges the services' documents into the gateway's public document.
 *
 * For every route (table order) and every operation of its service's document: the route's
 * rewrite is run backwards to find the public path (`/products/{id}/reviews` under
 * `/api/products/** → /products/**` is `/api/products/{id}/reviews`); the operation is published
 * there if the route allows the method and no earlier unconditional route (no host/header
 * condition) catches every request to that path and method first. The first route to claim a
 * path and method keeps it. Operations no route reaches are left out.
 *
 * Each published operation gets `tags: [service]`, `security` from the route's auth rule
 * (`x-required-roles` for role rules), `x-gateway-route`, the standard error responses, and its
 * service's components under `<service>_<Name>`. A route with a response body transformation
 * (`/api/v2`) gets transformed copies of its response schemas under `<service>_<route>_<Name>`.
 *
 * A service whose document is undefined still has each of its routes published: one operation
 * per allowed method at the route's path without its `**`, marked `x-unavailable: true`.
 */
export function mergeOpenApi(input: MergeOpenApiInput): OpenApiDocument {
  const components = gatewayComponents();
  const paths: Record<string, JsonObject> = {};
  const tags = new Map<string, string>();
  const shapes = new Map<string, Segment[]>();
  const entries: RouteEntry[] = input.routes.map((route, index) => ({
    route,
    index,
    match: parseRoutePattern(route.match.path),
    rewrite: parseRoutePattern(route.rewrite),
  }));
  const importers = new Map<string, ComponentImporter>();
  const importerFor = (service: string, document: OpenApiDocument, variant: RouteSpec | undefined) => {
    const prefix = variant === undefined ? `${service}_` : `${service}_${variant.name}_`;
    let importer = importers.get(prefix);
    if (importer === undefined) {
      importer = new ComponentImporter({
        source: document,
        target: components,
        prefix,
        transform: schemaTransformFor(variant?.transform?.response?.body),
      });
      importers.set(prefix, importer);
    }
    return importer;
  };

  for (const entry of entries) {
    const service = documentedService(entry.route, input.upstreams);
    if (service === undefined) continue; // the table's validation reports unknown upstreams
    const document = input.documents.get(service);
    if (!tags.has(service)) {
      tags.set(service, document?.info.description ?? `${service} service (API description unavailable)`);
    }
    let published: Published[];
    if (document === undefined) {
      published = unavailableOperations(entry, service, entries);
    } else {
      const transformed = schemaTransformFor(entry.route.transform?.response?.body) !== undefined;
      published = routeOperations(entry, service, document, entries, {
        plain: importerFor(service, document, undefined),
        response: importerFor(service, document, transformed ? entry.route : undefined),
      });
    }
    for (const { path, method, operation } of published) {
      // OpenAPI forbids `/a/{id}` next to `/a/{key}`: the first spelling of a shape is kept and
      // later operations' path parameters are renamed to it.
      const shape = shapeOf(path);
      const canonical = shapes.get(shape) ?? path;
      shapes.set(shape, canonical);
      const key = formatOpenApiPath(canonical);
      const item = paths[key] ?? {};
      paths[key] = item;
      if (method in item) continue;
      if (canonical !== path) renamePathParameters(operation, path, canonical);
      item[method] = operation;
    }
  }

  const gatewayPaths = Object.entries(input.gatewayPaths ?? {}).filter((pair): pair is [string, JsonObject] =>
    isJsonObject(pair[1]),
  );
  for (const [path, item] of gatewayPaths) paths[path] = { ...paths[path], ...structuredClone(item) };
  if (gatewayPaths.length > 0 && !tags.has('gateway')) tags.set('gateway', 'The gateway itself');

  return {
    openapi: '3.1.0',
    info: {
      title: input.title,
      version: input.version,
      description:
        'Every public ShopNow endpoint, served through the gateway. Authenticate with a bearer access ' +
        'token or an X-API-Key header where an operation requires it. Errors are RFC 9457 problem ' +
        'details (application/problem+json); rate-limited answers carry RateLimit and RateLimit-Policy ' +
        'headers (IETF draft 10) and 429 adds Retry-After.',
    },
    tags: [...tags].map(([name, description]) => ({ name, description })),
    paths,
    components,
  };
}

/** The service a route's documentation comes from: its upstream, or the heaviest of a split. */
export function documentedService(
  route: RouteSpec,
  upstreams: ReadonlyMap<string, UpstreamSpec>,
): string | undefined {
  let name: string | undefined;
  if (typeof route.upstream === 'string') name = route.upstream;
  else {
    let weight = -1;
    for (const part of route.upstream) {
      if (part.weight > weight) {
        weight = part.weight;
        name = part.upstream;
      }
    }
  }
  return name === undefined ? undefined : upstreams.get(name)?.service;
}

/**
 * The route's methods as strings. (The schema's `Method` union is built with `.map`, so its static
 * type is `never[]`; the values are upper-case method names.)
 */
function routeMethods(route: RouteSpec): readonly string[] | undefined {
  return route.match.methods as readonly string[] | undefined;
}

function allowsMethod(route: RouteSpec, method: OpenApiMethod): boolean {
  const methods = routeMethods(route);
  return methods === undefined || methods.includes(method.toUpperCase());
}

/** A route with a host or header condition serves only some requests, so it shadows nothing. */
function isConditional(route: RouteSpec): boolean {
  return route.match.host !== undefined || Object.keys(route.match.headers ?? {}).length > 0;
}

/** Whether an earlier unconditional route takes every request for this public path and method. */
function isShadowed(
  entry: RouteEntry,
  entries: readonly RouteEntry[],
  path: Segment[],
  method: OpenApiMethod,
) {
  for (const earlier of entries.slice(0, entry.index)) {
    if (isConditional(earlier.route) || !allowsMethod(earlier.route, method)) continue;
    if (patternCovers(earlier.match, path)) return true;
  }
  return false;
}

interface Importers {
  /** For the request side (parameters, body). */
  plain: ComponentImporter;
  /** For responses: a transforming importer on routes with a response body transformation. */
  response: ComponentImporter;
}

/** The operations of `document` that `entry`'s route exposes, at their public paths. */
function routeOperations(
  entry: RouteEntry,
  service: string,
  document: OpenApiDocument,
  entries: readonly RouteEntry[],
  importers: Importers,
): Published[] {
  const chosen = new Map<
    string,
    { path: Segment[]; method: OpenApiMethod; item: JsonObject; op: JsonObject; inverted: InvertedPath }
  >();
  for (const [servicePath, item] of Object.entries(document.paths ?? {})) {
    if (!isJsonObject(item)) continue;
    const inverted = invertRewrite(entry.match, entry.rewrite, parseOpenApiPath(servicePath));
    if (inverted === undefined) continue;
    for (const method of OPENAPI_METHODS) {
      const op = item[method];
      if (!isJsonObject(op) || !allowsMethod(entry.route, method)) continue;
      if (isShadowed(entry, entries, inverted.segments, method)) continue;
      const key = `${method} ${formatOpenApiPath(inverted.segments)}`;
      // Two service paths behind one public path (a rewrite literal over a service parameter):
      // the service's router prefers the static segment, and so does the document.
      const previous = chosen.get(key);
      if (previous !== undefined && previous.inverted.specificity >= inverted.specificity) continue;
      chosen.set(key, { path: inverted.segments, method, item, op, inverted });
    }
  }
  return [...chosen.values()].map(({ path, method, item, op }) => {
    const { responses, parameters: _p, ...rest } = op;
    const operation = importers.plain.copy(rest) as JsonObject;
    const parameters = importers.plain.copy(mergeParameters(item.parameters, op.parameters)) as unknown[];
    operation.parameters = declarePathParameters(path, parameters);
    operation.responses = isJsonObject(responses)
      ? Object.fromEntries(
          Object.entries(responses).map(([code, r]) => [code, importers.response.copyResponse(r)]),
        )
      : {};
    if (typeof op.operationId === 'string') operation.operationId = `${entry.route.name}.${op.operationId}`;
    decorate(operation, entry.route, service, path);
    return { path, method, operation };
  });
}

/** A path with its parameter names blanked: paths with equal shapes are the same path to OpenAPI. */
function shapeOf(path: readonly Segment[]): string {
  return path.map((s) => (s.kind === 'param' ? '{}' : s.kind === 'literal' ? s.value : '**')).join('/');
}

/** Renames the path parameters of `operation` from the names in `from` to those in `to` (same shape). */
function renamePathParameters(operation: JsonObject, from: readonly Segment[], to: readonly Segment[]): void {
  const names = new Map<string, string>();
  for (const [i, seg] of from.entries()) {
    const target = to[i];
    if (seg.kind === 'param' && target?.kind === 'param') names.set(seg.name, target.name);
  }
  if (!Array.isArray(operation.parameters)) return;
  for (const param of operation.parameters) {
    if (isJsonObject(param) && param.in === 'path' && typeof param.name === 'string') {
      param.name = names.get(param.name) ?? param.name;
    }
  }
}

/** Path-level parameters apply to every operation of the item; the operation's own win. */
function mergeParameters(pathLevel: unknown, operationLevel: unknown): unknown[] {
  const byKey = new Map<string, unknown>();
  for (const list of [pathLevel, operationLevel]) {
    if (!Array.isArray(list)) continue;
    for (const param of list) {
      const key = isJsonObject(param)
        ? typeof param.$ref === 'string'
          ? param.$ref
          : `${String(param.in)}:${String(param.name)}`
        : JSON.stringify(param);
      byKey.set(key, param);
    }
  }
  return [...byKey.values()];
}

/** Parameter names a public path template holds (`{id}` whole or inside a segment). */
function templateNames(path: readonly Segment[]): Set<string> {
  const names = new Set<string>();
  for (const seg of path) {
    if (seg.kind === 'param') names.add(seg.name);
    else if (seg.kind === 'literal')
      for (const m of seg.value.matchAll(/\{([^{}]+)\}/g)) names.add(m[1] ?? '');
  }
  return names;
}

/**
 * The parameters with the path ones made to fit the public path: those the rewrite fills itself
 * are dropped, and any the template has but nobody declared become required strings.
 */
function declarePathParameters(path: readonly Segment[], parameters: readonly unknown[]): unknown[] {
  const names = templateNames(path);
  const declared = new Set<string>();
  const kept = parameters.filter((param) => {
    if (!isJsonObject(param) || param.in !== 'path' || typeof param.name !== 'string') return true;
    declared.add(param.name);
    return names.has(param.name);
  });
  for (const name of names) {
    if (!declared.has(name)) kept.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  return kept;
}

/** One placeholder operation per allowed method for a route whose service description is missing. */
function unavailableOperations(
  entry: RouteEntry,
  service: string,
  entries: readonly RouteEntry[],
): Published[] {
  const { route } = entry;
  const path = patternPrefix(entry.match);
  const allowed = routeMethods(route)?.map((m) => m.toLowerCase() as OpenApiMethod) ?? [
    'get',
    'post',
    'put',
    'patch',
    'delete',
  ];
  // HEAD comes with GET and OPTIONS is CORS preflight: neither is worth an entry of its own.
  const methods = allowed.filter((m) => m !== 'options' && !(m === 'head' && allowed.includes('get')));
  const published: Published[] = [];
  for (const method of methods) {
    if (isShadowed(entry, entries, path, method)) continue;
    const below = entry.match.at(-1)?.kind === 'rest' ? ' and every path below it' : '';
    const operation: JsonObject = {
      summary: `${route.match.path} (${service}; description unavailable)`,
      description:
        `The ${service} service's API description could not be fetched when this document was built, ` +
        `so this entry only says that the gateway forwards ${method.toUpperCase()} ${route.match.path}${below} ` +
        `to ${service} at ${route.rewrite}. Reload the document later for the full description.`,
      'x-unavailable': true,
      'x-path-pattern': route.match.path,
      parameters: declarePathParameters(path, []),
      responses: { '2XX': { description: `Whatever ${service} answers` } },
    };
    decorate(operation, route, service, path);
    published.push({ path, method, operation });
  }
  return published;
}

/** What every published operation gets from its route: tag, security, errors, notes. */
function decorate(operation: JsonObject, route: RouteSpec, service: string, path: readonly Segment[]): void {
  operation.tags = [service];
  operation.security = securityFor(route.auth);
  if (typeof route.auth === 'object') operation['x-required-roles'] = [...route.auth.roles];
  operation['x-gateway-route'] = route.name;
  if (route.rateLimit !== undefined) operation['x-rate-limit-buckets'] = [...route.rateLimit];
  const notes = [
    typeof operation.description === 'string' ? operation.description : undefined,
    authSentence(route.auth),
  ];
  notes.push(conditionNote(route), splitNote(route), transformNote(route, operation));
  operation.description = notes.filter((n) => n !== undefined && n !== '').join('\n\n');
  addStandardErrors(operation, route, {
    hasPathParams: templateNames(path).size > 0,
    hasBody: operation.requestBody !== undefined,
  });
}

function conditionNote(route: RouteSpec): string | undefined {
  const conditions: string[] = [];
  if (route.match.host !== undefined) conditions.push(`Host: ${route.match.host}`);
  for (const [name, value] of Object.entries(route.match.headers ?? {})) conditions.push(`${name}: ${value}`);
  return conditions.length === 0 ? undefined : `Served by this route only with ${conditions.join(', ')}.`;
}

function splitNote(route: RouteSpec): string | undefined {
  if (typeof route.upstream === 'string') return undefined;
  const parts = route.upstream.map((p) => `${p.upstream} (weight ${p.weight})`);
  return `Traffic is split between ${parts.join(', ')}, sticky per caller.`;
}

/**
 * Says what the route's response transformation does and documents the response headers it sets
 * or removes on each success response (the body schemas were transformed while importing).
 */
function transformNote(route: RouteSpec, operation: JsonObject): string | undefined {
  const response = route.transform?.response;
  const headerOps = response?.headers;
  const responses = isJsonObject(operation.responses) ? operation.responses : {};
  if (headerOps !== undefined) {
    for (const [code, value] of Object.entries(responses)) {
      if (!/^2/.test(code) || !isJsonObject(value) || '$ref' in value) continue;
      const headers: JsonObject = isJsonObject(value.headers) ? value.headers : {};
      for (const name of headerOps.remove ?? []) deleteHeader(headers, name);
      for (const [from, to] of Object.entries(headerOps.rename ?? {})) {
        const found = Object.keys(headers).find((h) => h.toLowerCase() === from.toLowerCase());
        if (found !== undefined) {
          headers[to] = headers[found];
          delete headers[found];
        }
      }
      for (const [name, setTo] of Object.entries(headerOps.set ?? {})) {
        deleteHeader(headers, name);
        headers[name] = { description: 'Set by the gateway', schema: { type: 'string', const: setTo } };
      }
      if (Object.keys(headers).length > 0) value.headers = headers;
    }
  }
  const body = response?.body;
  const sentences: string[] = [];
  if (body?.money === 'decimal') {
    sentences.push(
      'Money amounts are decimal strings with their currency: {"amount": "129.99", "currency": "USD"}.',
    );
  }
  if (body?.times === 'iso8601') sentences.push('Times (`...At` fields) are ISO-8601 UTC strings.');
  if ((body?.remove?.length ?? 0) > 0)
    sentences.push(`Fields removed from responses: ${body?.remove?.join(', ')}.`);
  const renames = Object.entries(body?.rename ?? {});
  if (renames.length > 0)
    sentences.push(`Fields renamed: ${renames.map(([a, b]) => `${a} → ${b}`).join(', ')}.`);
  return sentences.length === 0 ? undefined : sentences.join(' ');
}

function deleteHeader(headers: JsonObject, name: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
}
