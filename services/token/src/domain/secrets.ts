// Opaque secrets (refresh tokens, API keys): random, shown once, stored only as a SHA-256 digest.
// A digest is enough (no salt, no slow hash): the secrets carry 256 random bits, so there is
// nothing to guess, and a lookup by digest is a primary-key read.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export const API_KEY_PREFIX = 'snk_';

export function newApiKey(): string {
  return `${API_KEY_PREFIX}${newSecret()}`;
}
