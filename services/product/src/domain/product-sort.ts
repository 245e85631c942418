// The orders in which the catalog can be listed, and the keyset each one pages by.
// Every key ends in the product id, so the order is total and pages never overlap or skip.
import {
  type CursorValue,
  decodeCursor,
  encodeCursor,
  isInstantValue,
  isNonNegativeInt,
  isRatingAverageValue,
  isUuidValue,
} from './cursor.ts';

export const PRODUCT_SORTS = ['newest', 'price_asc', 'price_desc', 'rating'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const DEFAULT_PRODUCT_SORT: ProductSort = 'newest';

/** The columns a sort key is read from; the store maps rows to this shape. */
export interface SortableProduct {
  id: string;
  priceMinor: number;
  /** Exactly as stored, "4.50": a decimal string keeps the key exact. */
  ratingAvg: string;
  ratingCount: number;
  createdAt: Date;
}

export type ProductSortKey =
  | { sort: 'newest'; createdAt: string; id: string }
  | { sort: 'price_asc' | 'price_desc'; priceMinor: number; id: string }
  | { sort: 'rating'; ratingAvg: string; ratingCount: number; id: string };

export function sortKeyOf(sort: ProductSort, p: SortableProduct): ProductSortKey {
  switch (sort) {
    case 'newest':
      return { sort, createdAt: p.createdAt.toISOString(), id: p.id };
    case 'price_asc':
    case 'price_desc':
      return { sort, priceMinor: p.priceMinor, id: p.id };
    case 'rating':
      return { sort, ratingAvg: p.ratingAvg, ratingCount: p.ratingCount, id: p.id };
  }
}

export function encodeProductCursor(key: ProductSortKey): string {
  return encodeCursor(`products:${key.sort}`, keyValues(key));
}

/** The sort key inside a cursor made for `sort`, or undefined when it is not one. */
export function decodeProductCursor(text: string, sort: ProductSort): ProductSortKey | undefined {
  const values = decodeCursor(text, `products:${sort}`, (v) => isValidKey(sort, v));
  if (values === undefined) return undefined;
  switch (sort) {
    case 'newest':
      return { sort, createdAt: values[0] as string, id: values[1] as string };
    case 'price_asc':
    case 'price_desc':
      return { sort, priceMinor: values[0] as number, id: values[1] as string };
    case 'rating':
      return {
        sort,
        ratingAvg: values[0] as string,
        ratingCount: values[1] as number,
        id: values[2] as string,
      };
  }
}

function keyValues(key: ProductSortKey): CursorValue[] {
  switch (key.sort) {
    case 'newest':
      return [key.createdAt, key.id];
    case 'price_asc':
    case 'price_desc':
      return [key.priceMinor, key.id];
    case 'rating':
      return [key.ratingAvg, key.ratingCount, key.id];
  }
}

function isValidKey(sort: ProductSort, v: readonly unknown[]): boolean {
  switch (sort) {
    case 'newest':
      return v.length === 2 && isInstantValue(v[0]) && isUuidValue(v[1]);
    case 'price_asc':
    case 'price_desc':
      return v.length === 2 && isNonNegativeInt(v[0]) && isUuidValue(v[1]);
    case 'rating':
      return v.length === 3 && isRatingAverageValue(v[0]) && isNonNegativeInt(v[1]) && isUuidValue(v[2]);
  }
}
