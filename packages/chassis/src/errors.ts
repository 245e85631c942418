/**
 * The error catalog: every error a client can see has a stable `code`, an HTTP status and a
 * title. Services declare theirs with `defineErrors` and throw `AppError`; the chassis renders
 * them as RFC 9457 problem details (see problem.ts).
 */
export interface ErrorDef {
  readonly code: string;
  readonly status: number;
  readonly title: string;
}

type Catalog<T extends Record<string, { status: number; title: string }>> = {
  readonly [K in keyof T & string]: {
    readonly code: K;
    readonly status: T[K]['status'];
    readonly title: string;
  };
};

/** `defineErrors({'product.not_found': {status: 404, title: 'Product not found'}})`: code = key. */
export function defineErrors<const T extends Record<string, { status: number; title: string }>>(
  defs: T,
): Catalog<T> {
  const catalog: Record<string, ErrorDef> = {};
  for (const [code, { status, title }] of Object.entries(defs)) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new TypeError(`error ${code}: status must be 400-599 (got ${status})`);
    }
    catalog[code] = Object.freeze({ code, status, title });
  }
  return Object.freeze(catalog) as Catalog<T>;
}

/** An error meant for the client: rendered with its catalog entry, never as a 500. */
export class AppError extends Error {
  readonly def: ErrorDef;
  /** Human-readable explanation of this occurrence (RFC 9457 `detail`). */
  readonly detail: string | undefined;
  /** Extension members merged into the problem body (e.g. `{retry_after: 3}`). */
  readonly extra: Record<string, unknown> | undefined;

  constructor(def: ErrorDef, detail?: string, extra?: Record<string, unknown>, options?: ErrorOptions) {
    super(detail ?? def.title, options);
    this.name = 'AppError';
    this.def = def;
    this.detail = detail;
    this.extra = extra;
  }

  get status(): number {
    return this.def.status;
  }

  get code(): string {
    return this.def.code;
  }
}

/** Where in the request a field error points, as validation errors say it. */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/** An AppError naming the offending field the way validation errors do (`errors: [{in, field, message}]`). */
export function fieldError(def: ErrorDef, part: RequestPart, field: string, message: string): AppError {
  return new AppError(def, `${field} ${message}`, { errors: [{ in: part, field, message }] });
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Errors every service can produce; service catalogs add their own, prefixed by service name. */
export const commonErrors = defineErrors({
  bad_request: { status: 400, title: 'Bad request' },
  validation_failed: { status: 400, title: 'Request validation failed' },
  invalid_json: { status: 400, title: 'Request body is not valid JSON' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'Route not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  not_acceptable: { status: 406, title: 'Not acceptable' },
  request_timeout: { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  body_too_large: { status: 413, title: 'Request body too large' },
  uri_too_long: { status: 414, title: 'URI too long' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_mismatch: {
    status: 422,
    title: 'Idempotency-Key was already used with a different request',
  },
  unprocessable: { status: 422, title: 'Unprocessable request' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'Request header fields too large' },
  internal: { status: 500, title: 'Internal server error' },
  not_implemented: { status: 501, title: 'Not implemented' },
  bad_gateway: { status: 502, title: 'Bad gateway' },
  unavailable: { status: 503, title: 'Service unavailable' },
  gateway_timeout: { status: 504, title: 'Gateway timeout' },
});

const byStatus = new Map<number, ErrorDef>();
for (const def of Object.values(commonErrors) as ErrorDef[]) {
  if (!byStatus.has(def.status)) byStatus.set(def.status, def);
}

/** The generic catalog entry for a status (for errors that carry only a status code). */
export function errorForStatus(status: number): ErrorDef {
  return byStatus.get(status) ?? (status >= 500 ? commonErrors.internal : commonErrors.bad_request);
}
