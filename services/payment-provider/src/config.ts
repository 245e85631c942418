// The provider's own environment variables (the common ones come from the chassis). It is an
// outside card processor, so it takes none of ShopNow's identity settings: it has its own keys.
import { ConfigError, makeValidator, positiveInt, postgresUrl } from '@shopnow/chassis';
import { MAX_LATENCY_MS } from './domain/faults.ts';

/** An API key: 16-200 printable ASCII characters, no spaces (e.g. `sk_test_…`, `pk_test_…`). */
const apiKey = makeValidator<string>((input) => {
  if (!/^[\x21-\x7e]{16,200}$/.test(input)) throw new Error('not an API key');
  return input;
});

const latency = makeValidator<number>((input) => {
  const n = Number(input);
  if (!/^\s*\d+\s*$/.test(input) || n > MAX_LATENCY_MS) throw new Error('not a latency');
  return n;
});

const rate = makeValidator<number>((input) => {
  const n = Number(input);
  if (input.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new Error('not a rate');
  return n;
});

const KEY_DESC = '16-200 printable characters without spaces';

export const providerConfigSpec = {
  /** The ledger is in Postgres: required here, optional in the base spec. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  /** Server-to-server calls: charges, refunds, lists, token lookups, sandbox controls. */
  PROVIDER_SECRET_KEY: apiKey({ desc: KEY_DESC }),
  /** Browser tokenization only (it is public: it can create tokens and nothing else). */
  PROVIDER_PUBLISHABLE_KEY: apiKey({ desc: KEY_DESC }),
  TOKEN_TTL_SECONDS: positiveInt({ default: 900 }),
  SANDBOX_LATENCY_MS: latency({ default: 0, desc: `an integer 0-${MAX_LATENCY_MS} (milliseconds)` }),
  SANDBOX_ERROR_RATE: rate({ default: 0, desc: 'a number from 0 to 1' }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface ProviderAppConfig {
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  PROVIDER_SECRET_KEY: string;
  PROVIDER_PUBLISHABLE_KEY: string;
  TOKEN_TTL_SECONDS: number;
  SANDBOX_LATENCY_MS: number;
  SANDBOX_ERROR_RATE: number;
}

/** A rule across two variables, checked when the app is built (one line, exit 1, like the rest). */
export function checkKeys(config: ProviderAppConfig): void {
  if (config.PROVIDER_SECRET_KEY === config.PROVIDER_PUBLISHABLE_KEY) {
    throw new ConfigError('config: PROVIDER_PUBLISHABLE_KEY must differ from PROVIDER_SECRET_KEY');
  }
}
