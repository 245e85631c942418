import { Type } from 'typebox';
import { defineEvent } from './define-event.ts';
import { MoneySchema as Money } from './money.ts';

const ProductFields = {
  productId: Type.String({ format: 'uuid' }),
  sku: Type.String({ minLength: 1 }),
  slug: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
  category: Type.String({ minLength: 1 }),
  price: Money,
  active: Type.Boolean(),
};

/** A product was added to the catalog. */
export const ProductCreatedV1 = defineEvent(
  'product.created.v1',
  Type.Object(ProductFields, { additionalProperties: false }),
);

/** A product's details changed (the whole new state; a price change also sends price_changed). */
export const ProductUpdatedV1 = defineEvent(
  'product.updated.v1',
  Type.Object({ ...ProductFields, changed: Type.Array(Type.String()) }, { additionalProperties: false }),
);

/** A product's price changed: carts re-price their lines on it. */
export const ProductPriceChangedV1 = defineEvent(
  'product.price_changed.v1',
  Type.Object(
    {
      productId: Type.String({ format: 'uuid' }),
      sku: Type.String({ minLength: 1 }),
      oldPrice: Money,
      newPrice: Money,
    },
    { additionalProperties: false },
  ),
);

export const productEvents = [ProductCreatedV1, ProductUpdatedV1, ProductPriceChangedV1] as const;
