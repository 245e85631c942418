// Which of a product's published fields an update changed: what product.updated.v1 lists.
import type { Product } from './product.ts';

const COMPARED = [
  'sku',
  'slug',
  'name',
  'description',
  'category',
  'images',
  'attributes',
  'active',
] as const;

export function changedFields(before: Product, after: Product): string[] {
  const changed: string[] = COMPARED.filter((field) => !sameValue(before[field], after[field]));
  if (
    before.price.amountMinor !== after.price.amountMinor ||
    before.price.currency !== after.price.currency
  ) {
    changed.push('price');
  }
  return changed;
}

export function priceChanged(before: Product, after: Product): boolean {
  return (
    before.price.amountMinor !== after.price.amountMinor || before.price.currency !== after.price.currency
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
