// Opaque keyset cursors: base64url(JSON {k: kind, v: [sort key values]}).
// Clients must treat them as opaque; the kind ties a cursor to the ordering that made it,
// so a cursor from one sort is refused by another instead of silently skipping rows.

export type CursorValue = string | number;

const MAX_CURSOR_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeCursor(kind: string, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify({ k: kind, v: values }), 'utf8').toString('base64url');
}

/**
 * The sort-key values inside a cursor made for `kind`, or undefined when the text is not
 * such a cursor (malformed base64, JSON, shape, or another kind) — callers answer 400.
 */
export function decodeCursor(
  text: string,
  kind: string,
  isValidKey: (values: readonly unknown[]) => boolean,
): CursorValue[] | undefined {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !BASE64URL.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { k, v } = parsed as { k?: unknown; v?: unknown };
  if (k !== kind || !Array.isArray(v) || !isValidKey(v)) return undefined;
  return v as CursorValue[];
}

// Shared checks for the values that appear in sort keys.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const RATING_AVG = /^[0-5]\.\d{2}$/;

export const isUuidValue = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
export const isInstantValue = (v: unknown): v is string =>
  typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v));
export const isNonNegativeInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
export const isRatingAverageValue = (v: unknown): v is string => typeof v === 'string' && RATING_AVG.test(v);
