import { isIP } from 'node:net';
import type { EventsEnv } from './events.ts';

/**
 * The environment a service process gets: the launcher's own environment plus
 * the chassis variables that place it (see the README's variable table).
 */
export interface ServiceEnvInput {
  instanceId: string;
  port: number;
  /** Where it listens (default loopback: only the edge listens elsewhere). */
  host?: string;
  registryUrl: string;
  /** This service's client secret at the token service (SERVICE_CLIENT_SECRET). */
  clientSecret?: string;
  /** For the token service: every service's client id and secret (SERVICE_CLIENTS). */
  serviceClients?: Record<string, string>;
  databaseUrl?: string;
  /** The event transport: the bus database's URL, or the RabbitMQ URL from the launcher's environment. */
  events: EventsEnv;
}

export function serviceEnv(base: NodeJS.ProcessEnv, input: ServiceEnvInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    HOST: input.host ?? '127.0.0.1',
    PORT: String(input.port),
    INSTANCE_ID: input.instanceId,
    ADVERTISE_URL: `http://${connectHost(input.host ?? '127.0.0.1')}:${input.port}`,
    DISCOVERY: 'registry',
    REGISTRY_URL: input.registryUrl,
    LOG_LEVEL: base.LOG_LEVEL ?? 'info',
  };
  if (input.clientSecret) env.SERVICE_CLIENT_SECRET = input.clientSecret;
  else delete env.SERVICE_CLIENT_SECRET;
  if (input.serviceClients) {
    env.SERVICE_CLIENTS = Object.entries(input.serviceClients)
      .map(([name, secret]) => `${name}=${secret}`)
      .join(',');
  } else delete env.SERVICE_CLIENTS;
  if (input.databaseUrl) env.DATABASE_URL = input.databaseUrl;
  else delete env.DATABASE_URL;
  // Set per service by the launcher (ServiceDefinition.migrateOnStart), never inherited.
  delete env.MIGRATE_ON_START;
  // Exactly the chosen transport's URL: never a stray one from the launcher's environment.
  delete env.BUS_DATABASE_URL;
  delete env.AMQP_URL;
  Object.assign(env, input.events);
  return env;
}

/** The address to call a listener on: loopback for a wildcard listener, else the address itself. */
export function connectHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return isIP(host) === 6 ? `[${host}]` : host;
}
