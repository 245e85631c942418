// Anonymous carts are reached by a bearer secret: 256 random bits, given to the client once;
// only its SHA-256 is stored, so a read of the store reveals no usable token.
import { createHash, randomBytes } from 'node:crypto';

/** base64url of 32 bytes: 43 characters. */
export const CART_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

export function newCartToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashCartToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
