// The order service's own environment variables (the common ones come from the chassis).
import { identityConfigSpec, makeValidator, positiveInt, postgresUrl, str, url } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';

const pathPrefix = makeValidator<string>((input) => {
  if (input !== '' && !/^(\/[A-Za-z0-9._~-]+)+$/.test(input)) throw new Error('not a path prefix');
  return input;
});

export const orderConfigSpec = {
  ...eventsConfigSpec,
  /** Callers are verified against the token service's keys (TOKEN_ISSUER, TOKEN_AUDIENCE). */
  ...identityConfigSpec,
  /** Orders live in Postgres: required here, optional in the base spec. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  STOCK_TIMEOUT_SECONDS: positiveInt({
    default: 120,
    desc: 'how long an order waits for inventory to answer before it is cancelled (stock_timeout)',
  }),
  PAYMENT_TIMEOUT_SECONDS: positiveInt({
    default: 600,
    desc: 'how long an order waits for its payment before it is cancelled; shorter than the reservation TTL',
  }),
  TIMEOUT_SWEEP_INTERVAL_MS: positiveInt({ default: 1000, desc: 'how often timed-out orders are cancelled' }),
  PROVIDER_URL: url({
    default: undefined,
    desc: "the card processor's base URL; default: discovery name payment-provider",
  }),
  PROVIDER_SECRET_KEY: str({ desc: "the card processor's secret key (token lookups)" }),
  UPSTREAM_TIMEOUT_MS: positiveInt({
    default: 3000,
    desc: 'time budget of one call to product, profile, cart or the processor while placing an order',
  }),
  PUBLIC_PATH_PREFIX: pathPrefix({
    default: '/api',
    desc: 'the path prefix the gateway serves order routes under (for links), e.g. /api or empty',
  }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface OrderAppConfig {
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
  STOCK_TIMEOUT_SECONDS: number;
  PAYMENT_TIMEOUT_SECONDS: number;
  TIMEOUT_SWEEP_INTERVAL_MS: number;
  PROVIDER_URL?: string | undefined;
  PROVIDER_SECRET_KEY: string;
  UPSTREAM_TIMEOUT_MS: number;
  PUBLIC_PATH_PREFIX: string;
}
