import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import type { FieldError } from './problem.ts';

/**
 * Request validation with TypeBox's compiled checkers. Bodies are checked strictly (JSON already
 * has types: `"price": "100"` is a wrong type, not a number); querystring, params and headers
 * arrive as strings and are converted first. Schema defaults are applied in every part.
 * Unknown properties are refused wherever a schema says `additionalProperties: false`.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const checker = Compile(schema);
  const applyDefaults = hasDefault(schema);
  const convert = httpPart !== 'body';
  return (input: unknown) => {
    let value = applyDefaults ? Value.Default(schema, input) : input;
    if (checker.Check(value)) return { value };
    // Convert only what did not pass as is (`?limit=5` arrives as "5"): the common all-strings
    // case (a path id) pays for one check only.
    if (convert) {
      const written = stringEntries(value);
      value = refuseLossyNumbers(written, Value.Convert(schema, value));
      if (checker.Check(value)) return { value };
    }
    return { error: [...checker.Errors(value)] as FastifySchemaValidationError[] };
  };
};

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * TypeBox's Convert is lenient: "9.99" becomes the integer 9, "0x10" becomes 16 and "" becomes 0.
 * A query value whose number is not exactly what was written keeps its string, so the checker
 * reports a wrong type for that field instead of silently answering a different question.
 */
function refuseLossyNumbers(written: [string, string][], converted: unknown): unknown {
  if (!isRecord(converted)) return converted;
  let out: Record<string, unknown> | undefined;
  for (const [key, raw] of written) {
    const value = converted[key];
    if (typeof value !== 'number') continue;
    if (DECIMAL.test(raw) && Number(raw) === value) continue;
    out ??= { ...converted };
    out[key] = raw;
  }
  return out ?? converted;
}

/** The string values as written, taken before Convert (which changes its input in place). */
function stringEntries(input: unknown): [string, string][] {
  if (!isRecord(input)) return [];
  return Object.entries(input).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const MAX_FIELD_ERRORS = 20;
const PARTS = new Set(['body', 'querystring', 'params', 'headers']);

/**
 * Turn validator errors (TypeBox's or Ajv's, same shape) into `{in, field, message}` naming
 * each offending field by JSON pointer. Capped so a huge invalid array cannot produce a huge answer.
 */
export function toFieldErrors(
  errors: readonly FastifySchemaValidationError[],
  part: string | undefined,
): FieldError[] {
  const where = (part !== undefined && PARTS.has(part) ? part : 'body') as FieldError['in'];
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const add = (field: string, message: string) => {
    const key = `${field}\n${message}`;
    if (seen.has(key) || out.length >= MAX_FIELD_ERRORS) return;
    seen.add(key);
    out.push({ in: where, field: field === '' ? '/' : field, message });
  };
  for (const e of errors) {
    const base = e.instancePath ?? '';
    const p = e.params ?? {};
    if (e.keyword === 'required') {
      for (const name of namesOf(p.requiredProperties ?? p.missingProperty))
        add(`${base}/${escapePointer(name)}`, 'is required');
    } else if (e.keyword === 'additionalProperties') {
      for (const name of namesOf(p.additionalProperties ?? p.additionalProperty)) {
        add(`${base}/${escapePointer(name)}`, 'is not allowed');
      }
    } else if (e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties')) {
      add(base, 'is not allowed'); // TypeBox reports `additionalProperties: false` twice
    } else {
      add(base, e.message ?? `fails ${e.keyword}`);
    }
  }
  return out;
}

function namesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined ? [] : [String(value)];
}

/** JSON pointer escaping (RFC 6901). */
function escapePointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

function hasDefault(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(hasDefault);
  if (schema === null || typeof schema !== 'object') return false;
  if (Object.hasOwn(schema, 'default')) return true;
  return Object.values(schema).some(hasDefault);
}
