// Everything the product service may refuse, with stable codes (see docs/api).
import { AppError, defineErrors, type ErrorDef } from '@shopnow/chassis';

export const productErrors = defineErrors({
  'product.not_found': { status: 404, title: 'Product not found' },
  'product.sku_taken': { status: 409, title: 'Another product already has this SKU' },
  'product.slug_taken': { status: 409, title: 'Another product already has this slug' },
  'product.unknown_category': { status: 422, title: 'No such category' },
  'product.invalid_cursor': { status: 400, title: 'The paging cursor is not valid' },
  'product.invalid_price_range': { status: 400, title: 'minPrice is greater than maxPrice' },
  'product.invalid_currency': { status: 400, title: 'Unknown currency' },
  'product.invalid_search': { status: 400, title: 'The search query has nothing to search for' },
  'product.already_reviewed': { status: 409, title: 'This user has already reviewed this product' },
});

type Part = 'body' | 'querystring' | 'params' | 'headers';

/** An AppError naming the offending field the way validation errors do (`errors: [{in, field, message}]`). */
export function fieldError(def: ErrorDef, part: Part, field: string, message: string): AppError {
  return new AppError(def, `${field} ${message}`, { errors: [{ in: part, field, message }] });
}
