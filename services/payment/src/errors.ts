// Everything the payment service may refuse, with stable codes (see README).
import { AppError, defineErrors } from '@shopnow/chassis';

export const paymentErrors = defineErrors({
  'payment.not_found': { status: 404, title: 'No such payment' },
  'payment.invalid_cursor': { status: 400, title: 'The paging cursor is not valid' },
});

export function paymentNotFound(id: string): AppError {
  return new AppError(paymentErrors['payment.not_found'], `No payment ${id}`);
}
