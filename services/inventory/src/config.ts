// Inventory's own environment variables (the common ones come from the chassis).
import { identityConfigSpec, makeValidator, positiveInt, postgresUrl } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';

const nonNegativeInt = makeValidator<number>((input) => {
  const n = Number(input);
  if (!/^\s*\d+\s*$/.test(input) || !Number.isSafeInteger(n)) throw new Error('not a non-negative integer');
  return n;
});

export const inventoryConfigSpec = {
  ...eventsConfigSpec,
  /** Callers are verified against the token service's keys (TOKEN_ISSUER, TOKEN_AUDIENCE). */
  ...identityConfigSpec,
  /** Inventory keeps stock and reservations in Postgres: required here, optional in the base spec. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  NEW_SKU_STOCK: nonNegativeInt({ default: 0, desc: 'units a new product starts with' }),
  RESERVATION_TTL_SECONDS: positiveInt({
    default: 900,
    desc: 'how long a reservation waits for confirmation',
  }),
  LOW_STOCK_THRESHOLD: nonNegativeInt({ default: 5, desc: 'stock_low below this many available units' }),
  RESERVATION_SWEEP_INTERVAL_MS: positiveInt({
    default: 5000,
    desc: 'how often expired reservations are released',
  }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface InventoryAppConfig {
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
  NEW_SKU_STOCK: number;
  RESERVATION_TTL_SECONDS: number;
  LOW_STOCK_THRESHOLD: number;
  RESERVATION_SWEEP_INTERVAL_MS: number;
}
