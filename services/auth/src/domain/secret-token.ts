// Single-use tokens (email verification, password reset): 32 random bytes, sent to the user
// in base64url, stored only as their SHA-256 so a database leak does not hand out live links.
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_BYTES = 32;

export function newSecretToken(): { token: string; hash: Buffer } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}

export function hashSecretToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A plausible token's shape (43 base64url characters), checked before any lookup. */
export const SECRET_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';
