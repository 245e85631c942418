// The token service's environment variables (the common ones come from the chassis).
import { identityConfigSpec, makeValidator, postgresUrl } from '@shopnow/chassis';
import { eventsConfigSpec } from '@shopnow/events';
import {
  MIN_CLIENT_SECRET_LENGTH,
  parseServiceClients,
  type ServiceClients,
} from './domain/service-clients.ts';

const serviceClients = makeValidator<ServiceClients>((input) => parseServiceClients(input));

export const tokenConfigSpec = {
  ...identityConfigSpec,
  ...eventsConfigSpec,
  /** Keys, sessions and revocations live in Postgres: required here, optional in the base spec. */
  DATABASE_URL: postgresUrl({ desc: 'a postgres:// URL' }),
  /** Which services may get a token (client credentials): `name=secret,name=secret`. */
  SERVICE_CLIENTS: serviceClients({
    default: new Map(),
    desc: `name=secret pairs separated by commas (secrets of at least ${MIN_CLIENT_SECRET_LENGTH} characters)`,
  }),
};

/** The settings buildApp reads (a loaded config has them all; tests may pass just these). */
export interface TokenAppConfig {
  TOKEN_ISSUER: string;
  TOKEN_AUDIENCE: string;
  SERVICE_CLIENTS: ServiceClients;
  LOG_LEVEL: string;
  BODY_LIMIT_BYTES: number;
}
