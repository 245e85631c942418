import { fieldError } from '@shopnow/chassis';
// Turning request fields into domain values, refusing with the field's name when they are not.
import { normaliseEmail } from '../domain/email.ts';
import { checkPassword } from '../domain/password-policy.ts';
import { authErrors } from '../errors.ts';
import { isCommonPassword } from '../passwords/common-passwords.ts';

export function emailFrom(raw: string, field = '/email'): string {
  const result = normaliseEmail(raw);
  if (!result.ok) throw fieldError(authErrors['auth.invalid_email'], 'body', field, result.reason);
  return result.email;
}

export function assertPasswordAllowed(password: string, email: string, field: string): void {
  const verdict = checkPassword(password, { email, isCommon: isCommonPassword });
  if (!verdict.ok) throw fieldError(authErrors['auth.weak_password'], 'body', field, verdict.reason);
}
