// Everything the shipping service may refuse, with stable codes (see README).
import { AppError, defineErrors } from '@shopnow/chassis';

export const shippingErrors = defineErrors({
  // One answer for "no such shipment" and "not yours": a stranger learns nothing.
  'shipping.not_found': { status: 404, title: 'Shipment not found' },
  'shipping.invalid_cursor': { status: 400, title: 'The paging cursor is not valid' },
  'shipping.invalid_move': { status: 409, title: 'The shipment cannot make this move in its status' },
});

export function shipmentNotFound(what: string): AppError {
  return new AppError(shippingErrors['shipping.not_found'], `No shipment ${what}`);
}
