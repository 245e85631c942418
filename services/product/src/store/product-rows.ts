// How a products row becomes a Product (and the sort key it pages by).

import type { AttributeValue, Product, ProductImage } from '../domain/product.ts';
import type { SortableProduct } from '../domain/product-sort.ts';

export const PRODUCT_COLUMNS = `id, sku, slug, name, description, category, price_minor, currency, images,
  attributes, active, rating_avg, rating_count, created_at, updated_at`;

/** PRODUCT_COLUMNS prefixed with a table alias, for joins. */
export const productColumnsOf = (alias: string): string =>
  PRODUCT_COLUMNS.split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');

export interface ProductRow {
  id: string;
  sku: string;
  slug: string;
  name: string;
  description: string;
  category: string;
  /** bigint arrives as text; the CHECK keeps it within Number.MAX_SAFE_INTEGER. */
  price_minor: string;
  currency: string;
  images: ProductImage[];
  attributes: Record<string, AttributeValue>;
  active: boolean;
  /** numeric(3,2) arrives as exact text: "4.50". */
  rating_avg: string;
  rating_count: number;
  created_at: Date;
  updated_at: Date;
}

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    slug: row.slug,
    name: row.name,
    description: row.description,
    category: row.category,
    price: { amountMinor: Number(row.price_minor), currency: row.currency },
    images: row.images,
    attributes: row.attributes,
    active: row.active,
    rating: { average: Number(row.rating_avg), count: row.rating_count },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toSortable(row: ProductRow): SortableProduct {
  return {
    id: row.id,
    priceMinor: Number(row.price_minor),
    ratingAvg: row.rating_avg,
    ratingCount: row.rating_count,
    createdAt: row.created_at,
  };
}
