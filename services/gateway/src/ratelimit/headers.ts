// Response headers for a rate-limit result, in the syntax of draft-ietf-httpapi-ratelimit-headers-10:
// both fields are Structured Field Lists whose items are Strings (the policy name) with Integer
// parameters — RateLimit-Policy: "free";q=100;w=60 and RateLimit: "free";r=42;t=18.
import type { RateLimitResult } from './rate-limiter.ts';

/**
 * `RateLimit-Policy` (quota q, window w) and `RateLimit` (remaining r, seconds t) for the
 * policy behind the decision, plus `Retry-After` (delay-seconds) when denied; nothing for an
 * unlimited caller. `t` is the time until the bucket is full again while allowed; when denied
 * it equals Retry-After (the time until a request can pass), since the draft says Retry-After
 * SHOULD NOT point earlier than `t`. `bucketWindowSeconds` defaults to the result's window.
 */
export function rateLimitHeaders(
  result: RateLimitResult,
  bucketWindowSeconds: number = result.windowSeconds,
): Record<string, string> {
  const decision = result.decision;
  if (decision === undefined) return {};
  const name = policyName(result.policy);
  const headers: Record<string, string> = {
    'RateLimit-Policy': `${name};q=${decision.limit};w=${Math.max(1, Math.ceil(bucketWindowSeconds))}`,
    RateLimit: `${name};r=${decision.remaining};t=${decision.allowed ? decision.resetSeconds : decision.retryAfterSeconds}`,
  };
  if (!decision.allowed) headers['Retry-After'] = String(decision.retryAfterSeconds);
  return headers;
}

// Policy names come from the route table (a handful): each is quoted once, not per request.
const quoted = new Map<string, string>();

function policyName(policy: string): string {
  let name = quoted.get(policy);
  if (name === undefined) {
    if (quoted.size >= 1000) quoted.clear(); // a bound, should names ever be unbounded
    name = sfString(policy);
    quoted.set(policy, name);
  }
  return name;
}

/** An sf-string: printable ASCII, with `"` and `\` escaped; anything else becomes `?`. */
function sfString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '"' || char === '\\') out += `\\${char}`;
    else out += code >= 0x20 && code <= 0x7e ? char : '?';
  }
  return `${out}"`;
}
