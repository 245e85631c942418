// Everything the cart service may refuse, with stable codes (see README).
import { AppError, commonErrors, defineErrors } from '@shopnow/chassis';
import { CartRuleError } from './domain/cart-rule-error.ts';
import { CartContendedError } from './store/cart-store.ts';

export const cartErrors = defineErrors({
  'cart.not_found': { status: 404, title: 'No cart for this cart token (it may have expired)' },
  'cart.line_not_found': { status: 404, title: 'The cart has no line for this product' },
  'cart.product_unavailable': { status: 422, title: 'The product does not exist or is not on sale' },
  'cart.too_many_lines': { status: 422, title: 'A cart holds at most 100 lines' },
  'cart.quantity_limit': { status: 422, title: 'A line holds 1 to 1000 units' },
  'cart.currency_mismatch': { status: 422, title: 'A cart holds products of one currency' },
  'cart.contended': { status: 409, title: 'The cart changed too often at once; try again' },
  'cart.idempotency_key_reused': {
    status: 422,
    title: 'This Idempotency-Key was already used with a different request',
  },
});

export function cartNotFound(): AppError {
  return new AppError(cartErrors['cart.not_found']);
}

export function productUnavailable(productId: string): AppError {
  return new AppError(
    cartErrors['cart.product_unavailable'],
    `Product ${productId} is unknown or not on sale`,
  );
}

export function forUsersOnly(): AppError {
  return new AppError(commonErrors.forbidden, 'Carts belong to customers; service tokens have none');
}

/** A refusal from the domain or the store as the problem the client sees; anything else unchanged. */
export function asProblem(err: unknown): unknown {
  if (err instanceof CartRuleError) return new AppError(cartErrors[err.rule], err.message);
  if (err instanceof CartContendedError) return new AppError(cartErrors['cart.contended']);
  return err;
}
