// The cart service's own environment variables (the common ones come from the chassis).
import { identityConfigSpec, makeValidator, positiveInt, postgresUrl, url } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';
import { DEFAULT_IDLE_DAYS } from './domain/limits.ts';

const currencyCode = makeValidator<string>((input) => {
  if (!/^[A-Z]{3}$/.test(input)) throw new Error('not a currency code');
  return input;
});

export const cartConfigSpec = {
  ...identityConfigSpec,
  ...eventsConfigSpec,
  /** Carts (by default) and always the event inbox and dead letters. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  REDIS_URL: url({
    default: undefined,
    desc: 'a redis:// URL: carts are kept in Redis instead of Postgres',
  }),
  CART_IDLE_DAYS: positiveInt({
    default: DEFAULT_IDLE_DAYS,
    desc: 'days without a change before a cart is deleted',
  }),
  CART_SWEEP_INTERVAL_MS: positiveInt({ default: 3_600_000, desc: 'how often idle carts are deleted' }),
  CART_CURRENCY: currencyCode({
    default: 'USD',
    desc: 'an ISO 4217 code such as USD (an empty cart’s subtotal)',
  }),
  PRODUCT_TIMEOUT_MS: positiveInt({
    default: 2000,
    desc: 'time budget of a product lookup, retries included',
  }),
  PRODUCT_MAX_STALENESS_MS: positiveInt({
    default: 5000,
    desc: "how old the product service's answers may be (its read cache), in milliseconds",
  }),
  PRODUCT_FALLBACK_ENTRIES: positiveInt({
    default: 10_000,
    desc: 'products remembered to price carts while the product service is down',
  }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface CartAppConfig {
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
  REDIS_URL?: string | undefined;
  CART_IDLE_DAYS: number;
  CART_SWEEP_INTERVAL_MS: number;
  CART_CURRENCY: string;
  PRODUCT_TIMEOUT_MS: number;
  PRODUCT_MAX_STALENESS_MS: number;
  PRODUCT_FALLBACK_ENTRIES: number;
}
