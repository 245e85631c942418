/**
 * Security headers for a JSON API: the OWASP REST Security Cheat Sheet set (the subset of
 * helmet's defaults that matters when no HTML is served). They are the same for every response,
 * so they are computed once and copied onto each reply instead of running helmet's middleware
 * chain per request; fewer headers also means less to validate and write per response.
 */
export const DEFAULT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Nothing in an API response may load or run anything, or be framed (clickjacking).
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  // Browsers must trust our Content-Type, never sniff a JSON or SVG body into HTML.
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'referrer-policy': 'no-referrer',
  // Only same-origin pages may embed our responses (override for a CDN or another origin).
  'cross-origin-resource-policy': 'same-origin',
};

/** Headers to set on every reply: defaults, with overrides (`false` drops a header). */
export function securityHeaders(
  overrides: Record<string, string | false> = {},
): ReadonlyArray<readonly [string, string]> {
  const merged: Record<string, string | false> = { ...DEFAULT_SECURITY_HEADERS };
  for (const [name, value] of Object.entries(overrides)) merged[name.toLowerCase()] = value;
  return Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== false);
}
