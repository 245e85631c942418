// Shipping's own environment variables (the common ones come from the chassis).
import { identityConfigSpec, makeValidator, positiveInt, postgresUrl, str } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';

const nonNegativeInt = makeValidator<number>((input) => {
  const n = Number(input);
  if (!/^\s*\d+\s*$/.test(input) || !Number.isSafeInteger(n)) throw new Error('not a non-negative integer');
  return n;
});

/** Seconds, fractions allowed (tests step every 0.2 s); 0 turns the simulator off. */
const stepSeconds = makeValidator<number>((input) => {
  const n = Number(input);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(input) || !Number.isFinite(n) || n > 86_400) {
    throw new Error('not a number of seconds from 0 to 86400');
  }
  return n;
});

const countryCode = makeValidator<string>((input) => {
  if (!/^[A-Z]{2}$/.test(input)) throw new Error('not an ISO 3166-1 alpha-2 code (two capital letters)');
  return input;
});

export const shippingConfigSpec = {
  ...eventsConfigSpec,
  /** Callers are verified against the token service's keys (TOKEN_ISSUER, TOKEN_AUDIENCE). */
  ...identityConfigSpec,
  /** Shipments live in Postgres: required here, optional in the base spec. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  SHIP_FROM_CITY: str({ default: 'Rotterdam', desc: "the warehouse's city (where parcels are picked up)" }),
  SHIP_FROM_COUNTRY: countryCode({ default: 'NL', desc: "the warehouse's country: domestic or abroad" }),
  EXPRESS_THRESHOLD_MINOR: nonNegativeInt({
    default: 10_000,
    desc: 'order totals (minor units) at or above this ship express',
  }),
  CARRIER_STEP_SECONDS: stepSeconds({
    default: 30,
    desc: 'the simulated carrier makes one step every this many seconds; 0: off (admins move shipments)',
  }),
  CARRIER_SWEEP_INTERVAL_MS: positiveInt({
    default: 1000,
    desc: 'how often the simulator looks for due steps',
  }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface ShippingAppConfig {
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
  SHIP_FROM_CITY: string;
  SHIP_FROM_COUNTRY: string;
  EXPRESS_THRESHOLD_MINOR: number;
  CARRIER_STEP_SECONDS: number;
  CARRIER_SWEEP_INTERVAL_MS: number;
}
