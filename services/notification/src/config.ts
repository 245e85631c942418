// Notification's own environment variables (the common ones come from the chassis).
import { bool, identityConfigSpec, makeValidator, positiveInt, postgresUrl, str } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';

const smtpUrl = makeValidator<string>((input) => {
  const protocol = URL.parse(input)?.protocol;
  if (protocol !== 'smtp:' && protocol !== 'smtps:') throw new Error('not an smtp:// or smtps:// URL');
  return input;
});

const httpUrl = makeValidator<string>((input) => {
  const protocol = URL.parse(input)?.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error('not an http(s) URL');
  return input.replace(/\/+$/, '');
});

const positiveNumber = makeValidator<number>((input) => {
  const n = Number(input);
  if (!Number.isFinite(n) || n <= 0) throw new Error('not a positive number');
  return n;
});

export const notificationConfigSpec = {
  ...eventsConfigSpec,
  /** Callers are verified against the token service's keys; the secret gets a token for profile. */
  ...identityConfigSpec,
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  SMTP_URL: smtpUrl({
    default: undefined,
    desc: 'smtp(s)://[user:pass@]host:port (unset: emails are stored and readable, never sent)',
  }),
  SMTP_FROM: str({ default: 'ShopNow <no-reply@shopnow.local>', desc: 'the From of every email' }),
  SMTP_MAX_PER_SECOND: positiveNumber({
    default: 10,
    desc: 'emails handed to the SMTP server per second, per instance',
  }),
  SMTP_TIMEOUT_MS: positiveInt({
    default: 10_000,
    desc: 'connect, greeting and socket timeouts of one send',
  }),
  SMTP_MAX_ATTEMPTS: positiveInt({ default: 8, desc: 'attempts of a message before it is dead' }),
  SMTP_RETRY_BASE_MS: positiveInt({ default: 2000, desc: 'first retry of a message after about this long' }),
  SMTP_RETRY_MAX_MS: positiveInt({ default: 300_000, desc: 'longest wait between two attempts' }),
  NOTIFICATION_MAX_WAIT_MS: positiveInt({
    default: 3_600_000,
    desc: 'how long a message may wait for its recipient or a known opt-in before it is given up',
  }),
  DEV_MAILBOX: bool({ default: false, desc: 'serve /dev/mailbox: every email stored, for developers' }),
  WEB_BASE_URL: httpUrl({
    default: 'http://localhost:8080',
    desc: 'the storefront address the links lead to',
  }),
  PREFERENCES_CACHE_MS: positiveInt({ default: 30_000, desc: 'how long a profile answer is reused' }),
  PROFILE_TIMEOUT_MS: positiveInt({ default: 2000, desc: 'budget of one call to the profile service' }),
  PRODUCT_TIMEOUT_MS: positiveInt({
    default: 2000,
    desc: 'budget of one call to the product service (a back-in-stock alert asked for)',
  }),
  NOTIFICATION_POLL_INTERVAL_MS: positiveInt({ default: 250, desc: 'how often due messages are looked for' }),
  NOTIFICATION_BATCH_SIZE: positiveInt({ default: 20, desc: 'messages worked side by side per pass' }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface NotificationAppConfig {
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
  SMTP_URL?: string | undefined;
  SMTP_FROM: string;
  SMTP_MAX_PER_SECOND: number;
  SMTP_TIMEOUT_MS: number;
  SMTP_MAX_ATTEMPTS: number;
  SMTP_RETRY_BASE_MS: number;
  SMTP_RETRY_MAX_MS: number;
  NOTIFICATION_MAX_WAIT_MS: number;
  DEV_MAILBOX: boolean;
  WEB_BASE_URL: string;
  PREFERENCES_CACHE_MS: number;
  PROFILE_TIMEOUT_MS: number;
  PRODUCT_TIMEOUT_MS: number;
  NOTIFICATION_POLL_INTERVAL_MS: number;
  NOTIFICATION_BATCH_SIZE: number;
}
