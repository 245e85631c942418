// Email addresses as account keys: one spelling per mailbox, so "Ann@Example.com " and
// "ann@example.com" are one account (and one throttle key).

/** RFC 5321 caps a forward path at 256 octets including the angle brackets: 254 for the address. */
export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;

// A sane shape, not RFC 5322 in full: one @, no spaces or control characters, a dotted domain
// whose labels are letters/digits/hyphens (Unicode letters allowed for internationalised domains).
const LOCAL_PART = /^[^\s@\p{Cc}"(),:;<>[\\\]]+$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

export type EmailResult = { ok: true; email: string } | { ok: false; reason: string };

/** Trim, Unicode NFKC, lower-case; then check the shape and length of the result. */
export function normaliseEmail(input: string): EmailResult {
  const email = input.trim().normalize('NFKC').toLowerCase();
  if (email.length === 0) return { ok: false, reason: 'is empty' };
  if (email.length > MAX_EMAIL_LENGTH)
    return { ok: false, reason: `is longer than ${MAX_EMAIL_LENGTH} characters` };
  const at = email.lastIndexOf('@');
  if (at <= 0 || email.indexOf('@') !== at) return { ok: false, reason: 'is not an email address' };
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (
    local.length > MAX_LOCAL_PART_LENGTH ||
    !LOCAL_PART.test(local) ||
    local.startsWith('.') ||
    local.endsWith('.') ||
    local.includes('..')
  ) {
    return { ok: false, reason: 'is not an email address' };
  }
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => label.length <= 63 && DOMAIN_LABEL.test(label))) {
    return { ok: false, reason: 'is not an email address' };
  }
  return { ok: true, email };
}

/** The part before the @ of a normalised address. */
export function localPart(email: string): string {
  return email.slice(0, email.lastIndexOf('@'));
}
