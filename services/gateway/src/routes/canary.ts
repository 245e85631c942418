// Weighted upstream splits (canaries) with sticky assignment: the same caller always lands on the
// same side, so one user does not flip between versions from request to request.
import type { CompiledRoute, SplitTarget } from './route-table.ts';

/**
 * The upstream for this request. The bucket is a hash of route name + `stickyKey` (user id, API
 * key id, or client IP) over the split's total weight. If the chosen side has no instances, the
 * caller is re-hashed over the sides that have (so callers on healthy sides keep their side).
 * When nothing has instances the first choice is returned (the proxy will answer 503).
 */
export function pickUpstream(
  route: CompiledRoute,
  stickyKey: string,
  hasInstances?: (upstream: string) => boolean,
): string {
  const targets = route.targets;
  if (targets.length === 1) return targets[0]!.upstream;
  const h = hash32(`${route.name}\u0000${stickyKey}`);
  const chosen = pick(targets, route.totalWeight, h);
  if (hasInstances === undefined || hasInstances(chosen)) return chosen;
  const live = targets.filter((t) => t.weight > 0 && hasInstances(t.upstream));
  if (live.length === 0) return chosen;
  const total = live.reduce((sum, t) => sum + t.weight, 0);
  return pick(live, total, hash32(`${stickyKey}\u0000${route.name}`));
}

function pick(targets: readonly SplitTarget[], total: number, h: number): string {
  // Multiply-shift maps the hash's high bits onto [0, total) without modulo bias.
  let bucket = Math.floor((h / 0x1_0000_0000) * total);
  for (const t of targets) {
    if (bucket < t.weight) return t.upstream;
    bucket -= t.weight;
  }
  return targets[targets.length - 1]!.upstream;
}

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so similar keys spread evenly. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
