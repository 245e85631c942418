// Everything the product service may refuse, with stable codes (see docs/api).
import { defineErrors } from '@shopnow/chassis';

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
