// Everything the notification service may refuse, with stable codes (see README).
import { AppError, defineErrors } from '@shopnow/chassis';

export const notificationErrors = defineErrors({
  'notification.not_found': { status: 404, title: 'No such message' },
  'notification.not_dead': { status: 409, title: 'Only a dead message can be retried' },
  'notification.invalid_cursor': { status: 400, title: 'The paging cursor is not valid' },
  'notification.product_not_found': { status: 404, title: 'No such product on sale' },
  'notification.stock_alert_not_found': { status: 404, title: 'No alert for this product' },
  'notification.too_many_stock_alerts': { status: 409, title: 'Too many back-in-stock alerts' },
});

export function productNotFound(productId: string): AppError {
  return new AppError(
    notificationErrors['notification.product_not_found'],
    `No product ${productId} on sale`,
  );
}

export function stockAlertNotFound(productId: string): AppError {
  return new AppError(
    notificationErrors['notification.stock_alert_not_found'],
    `You have no back-in-stock alert for product ${productId}`,
  );
}

export function tooManyStockAlerts(limit: number): AppError {
  return new AppError(
    notificationErrors['notification.too_many_stock_alerts'],
    `At most ${limit} back-in-stock alerts at a time; remove one first`,
  );
}

export function messageNotFound(id: string): AppError {
  return new AppError(notificationErrors['notification.not_found'], `No message ${id}`);
}

export function invalidCursor(): AppError {
  return new AppError(notificationErrors['notification.invalid_cursor'], 'cursor is not one this list made');
}
