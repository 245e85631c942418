// Auth's own environment variables (the common ones come from the chassis).
import { identityConfigSpec, port, postgresUrl } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';

export const authConfigSpec = {
  ...identityConfigSpec,
  ...eventsConfigSpec,
  /** Auth keeps accounts in Postgres: required here, optional in the base spec. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  /** Port of slot 2 (4100 + 10 * slot) when run outside the launcher. */
  PORT: port({ default: 4120 }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface AuthAppConfig {
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
}
