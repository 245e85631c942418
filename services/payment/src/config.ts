// Payment's own environment variables (the common ones come from the chassis).
import { identityConfigSpec, makeValidator, positiveInt, postgresUrl } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';

/** The processor's secret key: 16-200 printable ASCII characters, no spaces (e.g. `sk_test_…`). */
const apiKey = makeValidator<string>((input) => {
  if (!/^[\x21-\x7e]{16,200}$/.test(input)) throw new Error('not an API key');
  return input;
});

const httpUrl = makeValidator<string>((input) => {
  const protocol = URL.parse(input)?.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error('not an http(s) URL');
  return input.replace(/\/+$/, '');
});

export const paymentConfigSpec = {
  ...eventsConfigSpec,
  /** Callers of the admin routes are verified against the token service's keys. */
  ...identityConfigSpec,
  /** Payments are kept in Postgres: required here, optional in the base spec. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  PROVIDER_URL: httpUrl({
    default: undefined,
    desc: 'an http(s) URL (unset: the processor is found through discovery as payment-provider)',
  }),
  PROVIDER_SECRET_KEY: apiKey({ desc: '16-200 printable characters without spaces' }),
  PROVIDER_TIMEOUT_MS: positiveInt({ default: 5000, desc: 'budget of one call to the processor' }),
  PROVIDER_BREAKER_FAILURES: positiveInt({
    default: 5,
    desc: 'consecutive failed calls that open the circuit',
  }),
  PROVIDER_BREAKER_OPEN_MS: positiveInt({ default: 5000, desc: 'how long the circuit stays open' }),
  PAYMENT_RETRY_BASE_MS: positiveInt({ default: 1000, desc: 'first retry of a call after about this long' }),
  PAYMENT_RETRY_MAX_MS: positiveInt({ default: 30_000, desc: 'longest wait between two calls' }),
  PAYMENT_SETTLE_MS: positiveInt({ default: 60_000, desc: 'wait before looking up a lost charge' }),
  PAYMENT_POLL_INTERVAL_MS: positiveInt({ default: 200, desc: 'how often due payments are looked for' }),
  PAYMENT_BATCH_SIZE: positiveInt({ default: 20, desc: 'payments worked side by side per pass' }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface PaymentAppConfig {
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
  PROVIDER_URL?: string | undefined;
  PROVIDER_SECRET_KEY: string;
  PROVIDER_TIMEOUT_MS: number;
  PROVIDER_BREAKER_FAILURES: number;
  PROVIDER_BREAKER_OPEN_MS: number;
  PAYMENT_RETRY_BASE_MS: number;
  PAYMENT_RETRY_MAX_MS: number;
  PAYMENT_SETTLE_MS: number;
  PAYMENT_POLL_INTERVAL_MS: number;
  PAYMENT_BATCH_SIZE: number;
}
