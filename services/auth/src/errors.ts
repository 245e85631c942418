// Everything the auth service may refuse, with stable codes (see README).
import { defineErrors } from '@shopnow/chassis';

export const authErrors = defineErrors({
  'auth.invalid_credentials': { status: 401, title: 'Invalid credentials' },
  'auth.too_many_attempts': { status: 429, title: 'Too many attempts' },
  'auth.invalid_token': { status: 400, title: 'The token is invalid or expired' },
  'auth.invalid_email': { status: 400, title: 'The email address is not valid' },
  'auth.weak_password': { status: 400, title: 'The password does not meet the password policy' },
  'auth.sessions_unavailable': { status: 503, title: 'Signing in is unavailable right now' },
});

/** The one answer to a failed login, whatever failed (unknown email or wrong password). */
export const INVALID_CREDENTIALS_DETAIL = 'The email or password is incorrect';
/** The one answer to a throttled login, whether or not the account exists. */
export const TOO_MANY_ATTEMPTS_DETAIL = 'Too many failed sign-in attempts; try again later';
