// The product constraints a client can break, turned into catalog errors (4xx) so a race the
// validation could not see (two creates with one SKU) never surfaces as a 500; the chassis
// translates what any service's client can cause (translatingDbErrors).
import type { AppError } from '@shopnow/chassis';
import { fieldError, translatingDbErrors } from '@shopnow/chassis';
import { productErrors } from '../errors.ts';

interface PgError {
  code?: string;
  constraint?: string;
}

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

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
  return undefined;
}

/** Runs a write, rethrowing client-caused constraint violations as catalog errors. */
export function translatingConstraints<T>(write: () => Promise<T>): Promise<T> {
  return translatingDbErrors(write, constraintError);
}
