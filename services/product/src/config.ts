// Product's own environment variables (the common ones come from the chassis).
import { makeValidator, postgresUrl } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';

const MIN_ADMIN_TOKEN_LENGTH = 16;

const adminToken = makeValidator<string>((input) => {
  if (input.length < MIN_ADMIN_TOKEN_LENGTH)
    throw new Error(`must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  return input;
});

const nonNegativeInt = makeValidator<number>((input) => {
  const n = Number(input);
  if (!/^\s*\d+\s*$/.test(input) || !Number.isSafeInteger(n)) throw new Error('not a non-negative integer');
  return n;
});

export const productConfigSpec = {
  ...eventsConfigSpec,
  /** Product keeps its catalog in Postgres: required here, optional in the base spec. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  /** Until the identity issue lands, admin routes require `Authorization: Bearer <ADMIN_TOKEN>`. */
  ADMIN_TOKEN: adminToken({ desc: `a secret of at least ${MIN_ADMIN_TOKEN_LENGTH} characters` }),
  /** How long a product-by-id read may be served from this process's cache; 0 turns the cache off. */
  PRODUCT_CACHE_TTL_MS: nonNegativeInt({ default: 2000, desc: 'a non-negative integer (milliseconds)' }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface ProductAppConfig {
  ADMIN_TOKEN: string;
  PRODUCT_CACHE_TTL_MS: number;
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
}
