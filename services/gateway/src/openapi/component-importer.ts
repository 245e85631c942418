// Moves a service's reusable components (`#/components/schemas/Product`, ...) into the merged
// document under a service-prefixed name (`product_Product`), rewriting every `$ref` on the way,
// so two services' `Product` schemas never clash. Only components a published operation reaches
// are copied.
import { isJsonObject, type JsonObject, type OpenApiDocument } from './openapi-types.ts';
import type { SchemaNodeTransform } from './response-body-schema.ts';

/** plain: operation parts; schema: a JSON Schema (transformed); response: a response object. */
type WalkMode = 'plain' | 'schema' | 'response';

const LOCAL_COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)(\/.*)?$/;
/** Keys whose values are data, not schemas: a transformation must not touch them. */
const DATA_KEYWORDS = new Set(['example', 'examples', 'default', 'const', 'enum']);

function unescapePointer(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A component name as OpenAPI allows it (`^[a-zA-Z0-9._-]+$`). */
export function componentName(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]/g, '_');
}

/**
 * Copies one service's components into `target` (the merged document's components) under
 * `prefix`. An importer with a `transform` produces transformed copies of schemas (a versioned
 * route's response shapes), so it needs a prefix of its own.
 */
export class ComponentImporter {
  readonly #source: OpenApiDocument;
  readonly #target: Record<string, Record<string, unknown>>;
  readonly #prefix: string;
  readonly #transform: SchemaNodeTransform | undefined;

  constructor(options: {
    source: OpenApiDocument;
    target: Record<string, Record<string, unknown>>;
    prefix: string;
    transform?: SchemaNodeTransform | undefined;
  }) {
    this.#source = options.source;
    this.#target = options.target;
    this.#prefix = options.prefix;
    this.#transform = options.transform;
  }

  /** A deep copy of `node` (part of an operation) with its component references moved over. */
  copy(node: unknown): unknown {
    return this.#walk(node, 'plain');
  }

  /** A deep copy of a schema, transformed if this importer transforms, references moved over. */
  copySchema(schema: unknown): unknown {
    return this.#walk(schema, 'schema');
  }

  /** A deep copy of a response object: the schemas in it are transformed if this importer transforms. */
  copyResponse(response: unknown): unknown {
    return this.#walk(response, 'response');
  }

  #walk(node: unknown, mode: WalkMode): unknown {
    if (Array.isArray(node)) return node.map((item) => this.#walk(item, mode));
    if (!isJsonObject(node)) return node;
    if (typeof node.$ref === 'string') {
      const ref = this.#ref(node.$ref, mode);
      if (ref === undefined) return { description: `Unresolved reference ${node.$ref}` };
      return { ...this.#walkEntries(node, mode), $ref: ref };
    }
    const copy = this.#walkEntries(node, mode);
    if (mode === 'schema') this.#transform?.(copy);
    return copy;
  }

  #walkEntries(node: JsonObject, mode: WalkMode): JsonObject {
    const copy: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref') continue;
      if (DATA_KEYWORDS.has(key)) copy[key] = structuredClone(value);
      // Inside a response object, the media types' and headers' `schema` are schemas.
      else copy[key] = this.#walk(value, mode === 'response' && key === 'schema' ? 'schema' : mode);
    }
    return copy;
  }

  /** The merged document's reference for a service's `#/components/<kind>/<name>`, importing it. */
  #ref(ref: string, mode: WalkMode): string | undefined {
    const parts = LOCAL_COMPONENT_REF.exec(ref);
    // Refs outside components (or to other documents) are left to the reader.
    if (parts === null) return ref;
    const [, kind = '', rawName = '', rest = ''] = parts;
    const name = unescapePointer(rawName);
    const sourceKind = this.#source.components?.[kind];
    if (sourceKind === undefined || !(name in sourceKind)) return undefined;
    const newName = componentName(this.#prefix + name);
    const targetKind = this.#target[kind] ?? {};
    this.#target[kind] = targetKind;
    if (!(newName in targetKind)) {
      targetKind[newName] = {}; // placeholder first: recursive schemas refer to themselves
      const componentMode: WalkMode =
        kind === 'schemas' ? 'schema' : kind === 'responses' ? 'response' : mode;
      targetKind[newName] = this.#walk(sourceKind[name], componentMode);
    }
    return `#/components/${kind}/${escapePointer(newName)}${rest}`;
  }
}
