// Turning what an admin sent into what the catalog stores: normalised SKU and name, a slug
// derived from the name when none is given, the generated image by default, known currencies.
import { isCurrency, type Money } from './money.ts';
import {
  type AttributeValue,
  defaultImages,
  type NewProduct,
  type ProductChanges,
  type ProductImage,
} from './product.ts';
import { normaliseSku } from './sku.ts';
import { slugify } from './slug.ts';

export interface ProductInput {
  sku: string;
  slug?: string;
  name: string;
  description?: string;
  category: string;
  price: Money;
  images?: ProductImage[];
  attributes?: Record<string, AttributeValue>;
  active?: boolean;
}

/** A rule the input breaks, as a JSON pointer into the request body. */
export interface InputProblem {
  field: string;
  message: string;
  kind: 'invalid' | 'currency';
}

export type Prepared<T> = { ok: true; value: T } | { ok: false; problem: InputProblem };

const unknownCurrency = (field: string): Prepared<never> => ({
  ok: false,
  problem: { field, message: 'is not an ISO 4217 currency code', kind: 'currency' },
});

const blankName: Prepared<never> = {
  ok: false,
  problem: { field: '/name', message: 'must contain a visible character', kind: 'invalid' },
};

export function prepareNewProduct(id: string, input: ProductInput): Prepared<NewProduct> {
  if (!isCurrency(input.price.currency)) return unknownCurrency('/price/currency');
  const name = input.name.trim();
  if (name === '') return blankName;
  const slug = input.slug ?? slugify(name);
  if (slug === '') {
    return {
      ok: false,
      problem: { field: '/slug', message: 'is required: the name has no letters or digits', kind: 'invalid' },
    };
  }
  return {
    ok: true,
    value: {
      sku: normaliseSku(input.sku),
      slug,
      name,
      description: input.description ?? '',
      category: input.category,
      price: input.price,
      images: input.images ?? defaultImages(id, name),
      attributes: input.attributes ?? {},
      active: input.active ?? true,
    },
  };
}

export function prepareChanges(
  changes: ProductChanges,
  priceField = '/price/currency',
): Prepared<ProductChanges> {
  const currency = changes.price?.currency;
  if (currency !== undefined && !isCurrency(currency)) return unknownCurrency(priceField);
  if (changes.name !== undefined && changes.name.trim() === '') return blankName;
  return {
    ok: true,
    value: {
      ...changes,
      ...(changes.sku !== undefined && { sku: normaliseSku(changes.sku) }),
      ...(changes.name !== undefined && { name: changes.name.trim() }),
    },
  };
}
