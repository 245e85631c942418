// Everything the profile service may refuse, with stable codes (see README).
import { AppError, commonErrors, defineErrors, fieldError } from '@shopnow/chassis';
import type { FieldProblem } from './domain/field-problem.ts';

export const profileErrors = defineErrors({
  // One answer for "no such address", "no such profile" and "not yours": a stranger learns nothing.
  'profile.not_found': { status: 404, title: 'Not found' },
  'profile.read_only': { status: 403, title: 'This caller may read this profile but not change it' },
  'profile.invalid_field': { status: 422, title: 'A field breaks a profile rule' },
  'profile.address_limit': { status: 409, title: 'The address book is full' },
});

/** Every domain rule a body breaks, as one 422. */
export function ruleErrors(problems: readonly FieldProblem[]): AppError {
  const detail = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  return new AppError(profileErrors['profile.invalid_field'], detail, {
    errors: problems.map((p) => ({ in: 'body', field: p.field, message: p.message })),
  });
}

export function notFound(): AppError {
  return new AppError(profileErrors['profile.not_found'], 'No such profile or address');
}

/** A body on a route that takes none (DELETE, default moves). */
export function unexpectedBody(field: string): AppError {
  return fieldError(commonErrors.validation_failed, 'body', field, 'is not allowed');
}
