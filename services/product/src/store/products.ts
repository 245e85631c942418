// Product reads and writes. Every value reaches SQL as a parameter; only fixed column
// names and fixed fragments chosen from closed sets are ever spliced into the text.

import type { NewProduct, Product, ProductChanges } from '../domain/product.ts';
import type { ProductSort, ProductSortKey } from '../domain/product-sort.ts';
import { sortKeyOf } from '../domain/product-sort.ts';
import type { Queryable } from './db.ts';
import { PRODUCT_COLUMNS, type ProductRow, toProduct, toSortable } from './product-rows.ts';

export interface ProductFilter {
  category?: string;
  minPriceMinor?: number;
  maxPriceMinor?: number;
  currency?: string;
}

export interface ProductListQuery {
  filter: ProductFilter;
  sort: ProductSort;
  after?: ProductSortKey;
  limit: number;
}

// Direction of each sort; every key ends in id so the order is total.
const ORDER_BY: Record<ProductSort, string> = {
  newest: 'created_at DESC, id DESC',
  price_asc: 'price_minor ASC, id ASC',
  price_desc: 'price_minor DESC, id DESC',
  rating: 'rating_avg DESC, rating_count DESC, id DESC',
};

/** One page of active products, plus the key to continue after it (undefined on the last page). */
export async function listProducts(
  db: Queryable,
  query: ProductListQuery,
): Promise<{ items: Product[]; nextKey: ProductSortKey | undefined }> {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['active'];
  const { filter, after } = query;
  if (filter.category !== undefined) where.push(`category = ${param(filter.category)}`);
  if (filter.currency !== undefined) where.push(`currency = ${param(filter.currency)}`);
  if (filter.minPriceMinor !== undefined) where.push(`price_minor >= ${param(filter.minPriceMinor)}`);
  if (filter.maxPriceMinor !== undefined) where.push(`price_minor <= ${param(filter.maxPriceMinor)}`);
  if (after !== undefined) where.push(afterCondition(after, param));

  const { rows } = await db.query<ProductRow>(
    `SELECT ${PRODUCT_COLUMNS} FROM products
      WHERE ${where.join(' AND ')}
      ORDER BY ${ORDER_BY[query.sort]}
      LIMIT ${param(query.limit + 1)}`,
    params,
  );
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map(toProduct),
    nextKey: hasMore && last ? sortKeyOf(query.sort, toSortable(last)) : undefined,
  };
}

/** Rows strictly after the cursor's row in the sort's order (row-value comparison). */
function afterCondition(key: ProductSortKey, param: (value: unknown) => string): string {
  switch (key.sort) {
    case 'newest':
      return `(created_at, id) < (${param(key.createdAt)}::timestamptz, ${param(key.id)}::uuid)`;
    case 'price_asc':
      return `(price_minor, id) > (${param(key.priceMinor)}::bigint, ${param(key.id)}::uuid)`;
    case 'price_desc':
      return `(price_minor, id) < (${param(key.priceMinor)}::bigint, ${param(key.id)}::uuid)`;
    case 'rating':
      return `(rating_avg, rating_count, id) < (${param(key.ratingAvg)}::numeric, ${param(key.ratingCount)}::integer, ${param(key.id)}::uuid)`;
  }
}

export async function findProductById(
  db: Queryable,
  id: string,
  { includeInactive = false, forUpdate = false } = {},
): Promise<Product | undefined> {
  // FOR UPDATE (in a write's transaction): the state read is the one the write changes, and two
  // writes of one product publish their events in commit order.
  const { rows } = await db.query<ProductRow>(
    `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = $1 AND (active OR $2)${forUpdate ? ' FOR UPDATE' : ''}`,
    [id, includeInactive],
  );
  return rows[0] && toProduct(rows[0]);
}

export async function findProductBySlug(db: Queryable, slug: string): Promise<Product | undefined> {
  const { rows } = await db.query<ProductRow>(
    `SELECT ${PRODUCT_COLUMNS} FROM products WHERE slug = $1 AND active`,
    [slug],
  );
  return rows[0] && toProduct(rows[0]);
}

export async function insertProduct(
  db: Queryable,
  id: string,
  p: NewProduct,
  createdAt?: Date,
): Promise<Product> {
  const { rows } = await db.query<ProductRow>(
    `INSERT INTO products (id, sku, slug, name, description, category, price_minor, currency, images, attributes,
                           active, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, coalesce($12, now()), coalesce($12, now()))
     RETURNING ${PRODUCT_COLUMNS}`,
    [
      id,
      p.sku,
      p.slug,
      p.name,
      p.description,
      p.category,
      p.price.amountMinor,
      p.price.currency,
      JSON.stringify(p.images),
      JSON.stringify(p.attributes),
      p.active,
      createdAt ?? null,
    ],
  );
  return toProduct(rows[0]!);
}

// PATCH fields → columns. A closed map: request keys never become SQL text.
const CHANGE_COLUMNS = {
  sku: 'sku',
  slug: 'slug',
  name: 'name',
  description: 'description',
  category: 'category',
  images: 'images',
  attributes: 'attributes',
  active: 'active',
} as const satisfies Record<Exclude<keyof ProductChanges, 'price'>, string>;

/** Applies the given fields (inactive products too); undefined when no such product. */
export async function updateProduct(
  db: Queryable,
  id: string,
  changes: ProductChanges,
): Promise<Product | undefined> {
  const params: unknown[] = [id];
  const sets = ['updated_at = now()'];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  for (const [field, column] of Object.entries(CHANGE_COLUMNS)) {
    const value = changes[field as keyof typeof CHANGE_COLUMNS];
    if (value === undefined) continue;
    set(column, typeof value === 'object' ? JSON.stringify(value) : value);
  }
  if (changes.price?.amountMinor !== undefined) set('price_minor', changes.price.amountMinor);
  if (changes.price?.currency !== undefined) set('currency', changes.price.currency);

  const { rows } = await db.query<ProductRow>(
    `UPDATE products SET ${sets.join(', ')} WHERE id = $1 RETURNING ${PRODUCT_COLUMNS}`,
    params,
  );
  return rows[0] && toProduct(rows[0]);
}

/** Soft delete: hidden from public reads and search, kept for reviews and past orders. */
export async function deactivateProduct(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE products SET active = false, updated_at = CASE WHEN active THEN now() ELSE updated_at END
      WHERE id = $1`,
    [id],
  );
  return rowCount === 1;
}

export async function catalogIsEmpty(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM products) AS empty');
  return rows[0]!.empty;
}
