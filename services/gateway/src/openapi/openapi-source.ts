// Where `/api/openapi.json` comes from: each service's own document, fetched in parallel (one
// failing or slow service only marks its own routes unavailable), merged, and kept per route
// table version for a while so the services are not asked on every page view.
import type { RouteSpec, UpstreamSpec } from '../routes/route-table-schema.ts';
import { documentedService, mergeOpenApi } from './merge-openapi.ts';
import { isOpenApiDocument, type OpenApiDocument } from './openapi-types.ts';

/** The logger calls this module makes (pino's signature). */
export interface OpenApiSourceLogger {
  warn(fields: object, message: string): void;
}

export interface OpenApiSourceOptions {
  /**
   * Fetches one service's `/openapi.json` (through the gateway's upstream pool). Rejecting or
   * returning something that is not an OpenAPI document marks that service unavailable.
   * `signal` aborts when `fetchTimeoutMs` passes.
   */
  fetchDocument: (service: string, signal: AbortSignal) => Promise<OpenApiDocument>;
  logger: OpenApiSourceLogger;
  /** How long a merged document is reused for the same table version. Default 60 s. */
  ttlMs?: number;
  /** Reuse time when some service was unavailable, so it is asked again soon. Default 5 s (capped by ttlMs). */
  incompleteTtlMs?: number;
  /** Bound on each service's fetch. Default 5 s. */
  fetchTimeoutMs?: number;
  /** `info.title`. Default "ShopNow API". */
  title?: string;
  /** `info.version`. Default: the route table's version. */
  apiVersion?: string;
  /** The gateway's own endpoints to publish as well (OpenAPI path items by path). */
  gatewayPaths?: Record<string, unknown>;
  /** Clock, for tests. */
  now?: () => number;
}

/** The part of the loaded route table the document depends on. */
export interface OpenApiTable {
  routes: readonly RouteSpec[];
  /** Upstreams by name (a Map, or the table file's record). */
  upstreams: ReadonlyMap<string, UpstreamSpec> | Readonly<Record<string, UpstreamSpec>>;
  /** Changes whenever the table is reloaded: a new version is a new document. */
  version: string | number;
}

interface Cached {
  version: string | number;
  expiresAt: number;
  document: Promise<OpenApiDocument>;
}

/**
 * Builds and caches the gateway's public OpenAPI document. `document(table)` never rejects
 * because of a service: an unreachable service's routes appear with `x-unavailable: true`.
 * Concurrent calls share one build.
 */
export class OpenApiSource {
  readonly #options: OpenApiSourceOptions;
  readonly #ttlMs: number;
  readonly #incompleteTtlMs: number;
  readonly #now: () => number;
  #cached: Cached | undefined;

  constructor(options: OpenApiSourceOptions) {
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#incompleteTtlMs = Math.min(options.incompleteTtlMs ?? 5_000, this.#ttlMs);
    this.#now = options.now ?? Date.now;
  }

  /** The merged document for this table, from cache while fresh for the same table version. */
  document(table: OpenApiTable): Promise<OpenApiDocument> {
    const now = this.#now();
    const cached = this.#cached;
    if (cached !== undefined && cached.version === table.version && now < cached.expiresAt)
      return cached.document;
    const entry: Cached = {
      version: table.version,
      expiresAt: Number.POSITIVE_INFINITY,
      document: undefined as never,
    };
    entry.document = this.#build(table).then(
      ({ document, complete }) => {
        entry.expiresAt = this.#now() + (complete ? this.#ttlMs : this.#incompleteTtlMs);
        return document;
      },
      (err: unknown) => {
        // A failed build must not stay cached: the next call tries again.
        if (this.#cached === entry) this.#cached = undefined;
        throw err;
      },
    );
    this.#cached = entry;
    return entry.document;
  }

  /** Drops the cached document (e.g. after a service deploy); the next call fetches again. */
  invalidate(): void {
    this.#cached = undefined;
  }

  async #build(table: OpenApiTable): Promise<{ document: OpenApiDocument; complete: boolean }> {
    const upstreams =
      table.upstreams instanceof Map
        ? (table.upstreams as ReadonlyMap<string, UpstreamSpec>)
        : new Map(Object.entries(table.upstreams as Record<string, UpstreamSpec>));
    const services = [...new Set(table.routes.flatMap((route) => documentedService(route, upstreams) ?? []))];
    const fetched = await Promise.all(
      services.map(async (service) => [service, await this.#fetch(service)] as const),
    );
    const documents = new Map<string, OpenApiDocument | undefined>(fetched);
    const document = mergeOpenApi({
      title: this.#options.title ?? 'ShopNow API',
      version: this.#options.apiVersion ?? String(table.version),
      routes: table.routes,
      upstreams,
      documents,
      ...(this.#options.gatewayPaths === undefined ? {} : { gatewayPaths: this.#options.gatewayPaths }),
    });
    return { document, complete: fetched.every(([, doc]) => doc !== undefined) };
  }

  /** One service's document, or undefined (logged) when it cannot be had in time. */
  async #fetch(service: string): Promise<OpenApiDocument | undefined> {
    const signal = AbortSignal.timeout(this.#options.fetchTimeoutMs ?? 5_000);
    try {
      const document = await Promise.race([
        this.#options.fetchDocument(service, signal),
        new Promise<never>((_, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
      ]);
      if (!isOpenApiDocument(document)) throw new Error('not an OpenAPI document (no openapi/paths)');
      return document;
    } catch (err) {
      this.#options.logger.warn(
        { err, upstream_service: service },
        'openapi: service description unavailable; its routes are published without schemas',
      );
      return undefined;
    }
  }
}
