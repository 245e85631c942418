import { createHash } from 'node:crypto';

/**
 * A UUID derived from a name (RFC 9562 version 8, "custom"): the same seed always makes the
 * same ids, so image URLs, reviews and links in docs stay stable across machines.
 */
export function stableUuid(name: string): string {
  const bytes = createHash('sha256').update(`shopnow:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
