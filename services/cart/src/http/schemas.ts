// Request and response schemas (TypeBox → JSON Schema): validation, OpenAPI and serialisation
// from one definition. Every request object refuses unknown properties.
import { Type } from 'typebox';
import { CART_TOKEN_PATTERN } from '../domain/cart-token.ts';
import { MAX_LINE_QUANTITY, MIN_LINE_QUANTITY } from '../domain/limits.ts';

const strict = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const CartToken = Type.String({
  pattern: CART_TOKEN_PATTERN,
  description: 'The cartToken POST /carts answered',
});
const Quantity = Type.Integer({ minimum: MIN_LINE_QUANTITY, maximum: MAX_LINE_QUANTITY });
const Money = Type.Object({
  amountMinor: Type.Integer({ minimum: 0, description: 'Integer minor units (cents)' }),
  currency: Type.String({ description: 'ISO 4217' }),
});

// ---- requests ----
export const NoQuery = Type.Object({}, strict);
export const ProductParams = Type.Object({ productId: Uuid }, strict);

export const CartHeaders = Type.Object({
  'x-cart-token': Type.Optional(CartToken),
});
export const AddLineHeaders = Type.Object({
  'x-cart-token': Type.Optional(CartToken),
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Makes a retry safe: a repeat within 24 h adds nothing and answers the cart as it is (Idempotent-Replayed: true); the key with another body is refused (422)',
    }),
  ),
});

export const AddLineBody = Type.Object({ productId: Uuid, quantity: Quantity }, strict);
export const SetQuantityBody = Type.Object({ quantity: Quantity }, strict);
export const MergeBody = Type.Object({ cartToken: CartToken }, strict);

// ---- responses ----
export const CartLine = Type.Object({
  productId: Uuid,
  sku: Type.String(),
  name: Type.String(),
  quantity: Type.Integer(),
  unitPrice: Money,
  priceChangedFrom: Type.Union([Money, Type.Null()], {
    description:
      'The price the customer chose this line at, when the catalog has changed it since; else null',
  }),
});

export const Cart = Type.Object({
  id: Type.String(),
  lines: Type.Array(CartLine),
  itemCount: Type.Integer({ description: 'Units over all lines' }),
  subtotal: Money,
  updatedAt: Type.String({ format: 'date-time' }),
});

export const CreatedCart = Type.Object({
  cartId: Type.String(),
  cartToken: Type.String({ description: 'Send it as X-Cart-Token; shown once, only its hash is kept' }),
});
