import { createHash } from 'node:crypto';

/** A strong ETag for a body the upstream sent without one: its SHA-1, base64url, quoted. */
export function strongEtag(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}
