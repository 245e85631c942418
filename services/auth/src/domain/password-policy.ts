// The password rules of OWASP ASVS 5 (V6.2) / NIST SP 800-63B: length only (8 to 256 code points,
// never truncated), no composition rules, and no password from a list of common ones or equal
// to the account's own email.
import { localPart } from './email.ts';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordVerdict = { ok: true } | { ok: false; reason: string };

/** Code points, not UTF-16 units: "🔑" is one character to the user, so it counts as one. */
export function passwordLength(password: string): number {
  let count = 0;
  for (const _ of password) count++;
  return count;
}

/**
 * `isCommon` answers whether a (lower-cased) password is on the common-passwords list; the list
 * itself is loaded outside the domain (see passwords/common-passwords.ts).
 */
export function checkPassword(
  password: string,
  context: { email: string; isCommon: (lowerCased: string) => boolean },
): PasswordVerdict {
  const length = passwordLength(password);
  if (length < MIN_PASSWORD_LENGTH)
    return { ok: false, reason: `must be at least ${MIN_PASSWORD_LENGTH} characters` };
  if (length > MAX_PASSWORD_LENGTH)
    return { ok: false, reason: `must be at most ${MAX_PASSWORD_LENGTH} characters` };
  const lower = password.toLowerCase();
  if (context.isCommon(lower)) return { ok: false, reason: 'is too common' };
  const email = context.email.toLowerCase();
  if (lower === email || lower === localPart(email))
    return { ok: false, reason: 'must not be your email address' };
  return { ok: true };
}
