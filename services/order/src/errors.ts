// Everything the order service may refuse, with stable codes (see README).
import { AppError, defineErrors } from '@shopnow/chassis';

export const orderErrors = defineErrors({
  // One answer for "no such order" and "not yours": a stranger learns nothing.
  'order.not_found': { status: 404, title: 'Order not found' },
  'order.idempotency_key_required': { status: 400, title: 'POST /orders needs an Idempotency-Key header' },
  'order.invalid_cursor': { status: 400, title: 'The paging cursor is not valid' },
  'order.invalid_lines': { status: 422, title: 'The order lines break a rule' },
  'order.cart_empty': { status: 422, title: 'The cart is empty: there is nothing to order' },
  'order.product_unavailable': { status: 422, title: 'A product is unknown or not on sale' },
  'order.mixed_currencies': {
    status: 422,
    title: 'Products priced in different currencies cannot be ordered together',
  },
  'order.address_not_found': { status: 422, title: 'The shipping address is not one of yours' },
  'order.card_token_invalid': { status: 422, title: 'The card token cannot pay for this order' },
  'order.not_cancellable': { status: 409, title: 'The order can no longer be cancelled' },
});

export function orderNotFound(id: string): AppError {
  return new AppError(orderErrors['order.not_found'], `No order ${id}`);
}
