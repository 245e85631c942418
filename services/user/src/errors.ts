// Everything the user service may refuse, with stable codes (see README).
import { AppError, defineErrors } from '@shopnow/chassis';

export const userErrors = defineErrors({
  // Also the answer for another user's record: a 404 does not confirm that the id exists.
  'user.not_found': { status: 404, title: 'User not found' },
  'user.invalid_cursor': { status: 400, title: 'The paging cursor is not valid' },
  'user.invalid_roles': { status: 400, title: 'Not an allowed set of roles' },
  'user.blank_display_name': { status: 400, title: 'The display name is blank' },
  'user.blank_reason': { status: 400, title: 'The suspension reason is blank' },
  'user.cannot_demote_self': { status: 409, title: 'An admin cannot remove their own admin role' },
  'user.cannot_suspend_self': { status: 409, title: 'An admin cannot suspend themselves' },
  'user.not_active': { status: 409, title: 'Only an active user can be suspended' },
  'user.not_suspended': { status: 409, title: 'Only a suspended user can be reactivated' },
});

export function userNotFound(id: string): AppError {
  return new AppError(userErrors['user.not_found'], `No user ${id}`);
}

export function throwUserNotFound(id: string): never {
  throw userNotFound(id);
}
