// Constraint violations that are the client's doing, turned into catalog errors (4xx) so a
// race the validation could not see (two creates with one SKU) never surfaces as a 500.
import type { AppError } from '@shopnow/chassis';
import { commonErrors } from '@shopnow/chassis';
import { fieldError, productErrors } from '../errors.ts';

interface PgError {
  code?: string;
  constraint?: string;
}

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const CHECK_VIOLATION = '23514';
// Text Postgres cannot store (U+0000 in text or jsonb); the schemas refuse it first.
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

export function constraintError(err: unknown): AppError | undefined {
  const { code, constraint } = (err ?? {}) as PgError;
  if (code === UNIQUE_VIOLATION && constraint === 'products_sku_key') {
    return fieldError(
      productErrors['product.sku_taken'],
      'body',
      '/sku',
      'is already used by another product',
    );
  }
  if (code === UNIQUE_VIOLATION && constraint === 'products_slug_key') {
    return fieldError(
      productErrors['product.slug_taken'],
      'body',
      '/slug',
      'is already used by another product',
    );
  }
  if (code === FOREIGN_KEY_VIOLATION && constraint === 'products_category_fkey') {
    return fieldError(
      productErrors['product.unknown_category'],
      'body',
      '/category',
      'is not a known category',
    );
  }
  if (code !== undefined && UNSTORABLE_TEXT.has(code)) {
    return fieldError(
      commonErrors.validation_failed,
      'body',
      '/',
      'contains characters that cannot be stored',
    );
  }
  if (code === CHECK_VIOLATION) {
    return fieldError(
      commonErrors.validation_failed,
      'body',
      '/',
      `violates rule ${constraint ?? 'unknown'}`,
    );
  }
  return undefined;
}

/** Runs a write, rethrowing client-caused constraint violations as catalog errors. */
export async function translatingConstraints<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw constraintError(err) ?? err;
  }
}
