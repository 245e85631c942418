import { ConfigError, positiveInt, postgresUrl, str, url } from '@shopnow/chassis';
import type { Logger } from 'pino';
import { DEFAULT_CONCURRENCY } from './events.ts';
import type { Transport } from './transport.ts';
import { createPostgresTransport } from './transports/postgres.ts';
import { createRabbitMqTransport } from './transports/rabbitmq.ts';

/** The variables of a service that publishes or consumes events (merge into its configSpec). */
export const eventsConfigSpec = {
  EVENTS_TRANSPORT: str({
    choices: ['postgres', 'rabbitmq'] as const,
    default: 'postgres',
    desc: 'postgres (the bus database, BUS_DATABASE_URL) or rabbitmq (AMQP_URL)',
  }),
  BUS_DATABASE_URL: postgresUrl({ default: undefined, desc: 'the bus database (postgres transport)' }),
  AMQP_URL: url({ default: undefined, desc: 'an amqp:// URL (rabbitmq transport)' }),
  EVENTS_MAX_ATTEMPTS: positiveInt({ default: 5, desc: 'handler attempts before an event is dead-lettered' }),
  EVENTS_CONCURRENCY: positiveInt({
    default: DEFAULT_CONCURRENCY,
    desc: 'deliveries in flight per consumer group per instance',
  }),
};

export interface EventsConfig {
  EVENTS_TRANSPORT: 'postgres' | 'rabbitmq';
  BUS_DATABASE_URL?: string | undefined;
  AMQP_URL?: string | undefined;
}

/** The transport the configuration names; a missing URL for it is a ConfigError (one line). */
export function transportFromConfig(config: EventsConfig, logger: Logger): Transport {
  if (config.EVENTS_TRANSPORT === 'rabbitmq') {
    if (config.AMQP_URL === undefined) {
      throw new ConfigError('config: AMQP_URL is required when EVENTS_TRANSPORT=rabbitmq (an amqp:// URL)');
    }
    return createRabbitMqTransport({ url: config.AMQP_URL, logger });
  }
  if (config.BUS_DATABASE_URL === undefined) {
    throw new ConfigError(
      'config: BUS_DATABASE_URL is required when EVENTS_TRANSPORT=postgres (a postgres:// URL)',
    );
  }
  return createPostgresTransport({ connectionString: config.BUS_DATABASE_URL, logger });
}
