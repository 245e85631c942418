// Profile's own environment variables (the common ones come from the chassis).
import { identityConfigSpec, postgresUrl } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';

export const profileConfigSpec = {
  ...identityConfigSpec,
  ...eventsConfigSpec,
  /** Profile keeps addresses and preferences in Postgres: required here, optional in the base spec. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface ProfileAppConfig {
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENT_SECRET?: string | undefined;
}
