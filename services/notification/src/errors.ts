// Everything the notification service may refuse, with stable codes (see README).
import { AppError, defineErrors } from '@shopnow/chassis';

export const notificationErrors = defineErrors({
  'notification.not_found': { status: 404, title: 'No such message' },
  'notification.not_dead': { status: 409, title: 'Only a dead message can be retried' },
  'notification.invalid_cursor': { status: 400, title: 'The paging cursor is not valid' },
});

export function messageNotFound(id: string): AppError {
  return new AppError(notificationErrors['notification.not_found'], `No message ${id}`);
}

export function invalidCursor(): AppError {
  return new AppError(notificationErrors['notification.invalid_cursor'], 'cursor is not one this list made');
}
