// How long things live. Access tokens live 15 minutes (the contracts' ACCESS_TOKEN_TTL_SECONDS,
// repeated here because domain code imports nothing outside the domain).
export const ACCESS_TOKEN_LIFETIME_MS = 15 * 60 * 1000;
/** Clock difference tolerated between this service and the verifiers. */
export const CLOCK_SKEW_MS = 60 * 1000;
/** A session ends this long after sign-in, however often it is refreshed. */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** A rotated refresh token presented again within this window is a concurrent refresh, not theft. */
export const REFRESH_REUSE_GRACE_MS = 10 * 1000;
/** A revocation entry can be forgotten once every token it could refuse has expired. */
export const REVOCATION_LIFETIME_MS = ACCESS_TOKEN_LIFETIME_MS + CLOCK_SKEW_MS;
/** A retired signing key stays published until every token it signed has expired. */
export const RETIRED_KEY_PUBLISHED_MS = ACCESS_TOKEN_LIFETIME_MS + CLOCK_SKEW_MS;
/**
 * A user-wide revocation refuses tokens issued before now + 1 s: `iat` has whole seconds, so a
 * token minted in the same second as the revocation is refused too.
 */
export const USER_REVOCATION_MARGIN_MS = 1000;
