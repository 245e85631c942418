// Per-route JSON body transformation (route table `transform.response.body`): remove and rename
// fields at every depth, and present values differently — money as decimal strings, times as
// ISO-8601 — so a versioned route (`/api/v2/...`) can change the representation while the
// services keep theirs.
import { currencyDigits } from '@shopnow/contracts';
import type { BodyOps } from '../routes/route-table-schema.ts';

type Json = unknown;

/**
 * Compile body ops into a pure function over a parsed JSON value (the input is not modified).
 * Per object: a money object `{amountMinor, currency}` becomes `{amount: "12.99", currency, ...}`
 * (other fields kept); then each field is removed, or has its value converted (`...At` fields to
 * ISO-8601 when `times`), and is renamed. Names in `remove`/`rename` are the services' names.
 */
export function compileBodyOps(ops: BodyOps): (value: unknown) => unknown {
  const remove = new Set(ops.remove ?? []);
  const rename = new Map(Object.entries(ops.rename ?? {}));
  const money = ops.money === 'decimal';
  const times = ops.times === 'iso8601';
  const walk = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const source = money && isMoney(value) ? moneyToDecimal(value) : (value as Record<string, Json>);
    const out: Record<string, Json> = {};
    for (const key of Object.keys(source)) {
      if (remove.has(key)) continue;
      let v = walk(source[key]);
      if (times && key.length > 2 && key.endsWith('At')) v = toIsoTime(v);
      const name = rename.get(key) ?? key;
      // `__proto__` from JSON is an own data property; keep it one (never the prototype setter).
      Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return walk;
}

interface MoneyMinor {
  amountMinor: number;
  currency: string;
  [field: string]: unknown;
}

const CURRENCY = /^[A-Z]{3}$/;

function isMoney(value: object): value is MoneyMinor {
  const v = value as Record<string, unknown>;
  return Number.isSafeInteger(v.amountMinor) && typeof v.currency === 'string' && CURRENCY.test(v.currency);
}

/** `{amountMinor: 1299, currency: 'EUR', ...}` → `{amount: '12.99', currency: 'EUR', ...}`, keys in place. */
function moneyToDecimal(value: MoneyMinor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === 'amountMinor') out.amount = formatMinorUnits(value.amountMinor, value.currency);
    else if (key !== 'amount') out[key] = value[key];
  }
  return out;
}

/**
 * Minor units as an exact decimal string, by string arithmetic (no float division):
 * 1299 EUR → "12.99", 5 JPY → "5", -1 EUR → "-0.01", 1005 BHD → "1.005".
 */
export function formatMinorUnits(amountMinor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = String(Math.abs(amountMinor));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

// ISO-like date-times; without a zone they are read as UTC (never as the gateway's local time).
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const MAX_TIME = 8.64e15;

/** An epoch-ms number or an ISO-like string as `toISOString()`; anything else unchanged. */
export function toIsoTime(value: unknown): unknown {
  if (typeof value === 'number') {
    return Number.isFinite(value) && Math.abs(value) <= MAX_TIME ? new Date(value).toISOString() : value;
  }
  if (typeof value !== 'string') return value;
  const m = ISO_LIKE.exec(value);
  if (m === null) return value;
  let text = value.replace(' ', 'T');
  if (m[1] === undefined && text.includes('T')) text += 'Z';
  // `+0100` → `+01:00`, which Date.parse accepts everywhere.
  text = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Whether a Content-Type is JSON (`application/json`, `application/problem+json`, with params). */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_TYPE.test(contentType.trimStart());
}

/**
 * Apply `fn` to a JSON body: the new body, or undefined when the body is not JSON (by Content-Type)
 * or does not parse — the caller then forwards the original bytes untouched. The body must be
 * decoded already (no Content-Encoding).
 */
export function transformJsonBody(
  body: Buffer,
  contentType: string | undefined,
  fn: (value: unknown) => unknown,
): Buffer | undefined {
  if (!isJsonContentType(contentType) || body.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  return Buffer.from(JSON.stringify(fn(parsed)), 'utf8');
}
