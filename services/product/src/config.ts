// Product's own environment variables (the common ones come from the chassis).
import { identityConfigSpec, makeValidator, postgresUrl } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';

const nonNegativeInt = makeValidator<number>((input) => {
  const n = Number(input);
  if (!/^\s*\d+\s*$/.test(input) || !Number.isSafeInteger(n)) throw new Error('not a non-negative integer');
  return n;
});

export const productConfigSpec = {
  ...eventsConfigSpec,
  /** Callers are verified against the token service's keys (TOKEN_ISSUER, TOKEN_AUDIENCE). */
  ...identityConfigSpec,
  /** Product keeps its catalog in Postgres: required here, optional in the base spec. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  /** How long a product-by-id read may be served from this process's cache; 0 turns the cache off. */
  PRODUCT_CACHE_TTL_MS: nonNegativeInt({ default: 2000, desc: 'a non-negative integer (milliseconds)' }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface ProductAppConfig {
  PRODUCT_CACHE_TTL_MS: number;
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
}
