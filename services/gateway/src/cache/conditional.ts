// If-None-Match (RFC 9110 §13.1.2): weak comparison, `*`, and comma-separated lists of entity tags.

const ENTITY_TAG = /(?:W\/)?"[^"]*"/g;

/** True when the client's copy matches `etag`, so the answer is 304 Not Modified. */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const value = ifNoneMatch.trim();
  if (value === '*') return true;
  const opaque = opaqueTag(etag);
  for (const candidate of value.match(ENTITY_TAG) ?? []) {
    if (opaqueTag(candidate) === opaque) return true;
  }
  return false;
}

function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}
