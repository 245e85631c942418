/**
 * Security headers for a JSON API: the OWASP REST Security Cheat Sheet set. helmet's other
 * defaults (Referrer-Policy, Cross-Origin-*-Policy, X-DNS-Prefetch-Control, ...) only matter for
 * HTML pages, and every byte is paid on every response, so they are left out; a service that
 * serves something else adds them with `createApp({securityHeaders})`. The set is the same for
 * every response, so it is computed once and copied onto each reply rather than running helmet's
 * middleware chain per request.
 */
export const DEFAULT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Nothing in a response may load or run anything (an SVG opened directly included), or be framed.
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  // Browsers must trust our Content-Type, never sniff a JSON or SVG body into HTML.
  'x-content-type-options': 'nosniff',
  // Clickjacking protection for browsers that predate CSP frame-ancestors.
  'x-frame-options': 'DENY',
  // No Strict-Transport-Security: services answer plain HTTP inside the cluster, and HSTS on a
  // plain-HTTP answer means nothing. The gateway adds it to answers its clients got over HTTPS.
};

/** Headers to set on every reply: defaults, with overrides (`false` drops a header). */
export function securityHeaders(
  overrides: Record<string, string | false> = {},
): ReadonlyArray<readonly [string, string]> {
  const merged: Record<string, string | false> = { ...DEFAULT_SECURITY_HEADERS };
  for (const [name, value] of Object.entries(overrides)) merged[name.toLowerCase()] = value;
  return Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== false);
}
