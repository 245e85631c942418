// The few OpenAPI 3.1 shapes the gateway reads and writes. Deliberately loose (records of unknown):
// the documents come from other processes, so every field is checked where it is read rather than
// trusted through a precise type.

/** Any JSON object. */
export type JsonObject = Record<string, unknown>;

/** An OpenAPI 3.1 document, as a service serves it at `/openapi.json` and the gateway publishes it. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [extension: string]: unknown };
  paths?: Record<string, JsonObject>;
  components?: Record<string, Record<string, unknown>>;
  tags?: Array<{ name: string; description?: string }>;
  [key: string]: unknown;
}

/** The HTTP methods an OpenAPI path item can hold, lower case as in the document. */
export const OPENAPI_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type OpenApiMethod = (typeof OPENAPI_METHODS)[number];

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` looks enough like an OpenAPI document to merge (an object with `paths`). */
export function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  return isJsonObject(value) && isJsonObject(value.paths) && typeof value.openapi === 'string';
}
