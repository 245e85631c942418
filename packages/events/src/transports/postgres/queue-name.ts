import { createHash } from 'node:crypto';

// pg-boss queue names may hold letters, digits, `_`, `.`, `-` and `/` (and are spliced into SQL).
const SAFE = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * The pg-boss queue of a consumer group: the group's own name when pg-boss accepts it as is (so an
 * operator finds the queue by the group's name), else a readable version of it plus a hash of the
 * original, so two groups never share a queue.
 */
export function queueNameForGroup(group: string): string {
  if (group.length === 0) throw new Error('events: a consumer group needs a name');
  if (SAFE.test(group)) return group;
  const readable = group.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80);
  const hash = createHash('sha256').update(group).digest('hex').slice(0, 12);
  return `${readable}-${hash}`;
}
