import { createPostgresTransport, createRabbitMqTransport, type Transport } from '@shopnow/events';
import type { Logger } from 'pino';

export type TransportKind = 'postgres' | 'rabbitmq';

/** Where a transport's broker is: the bus database (postgres) or an amqp:// URL (rabbitmq). */
export interface BusSpec {
  kind: TransportKind;
  url: string;
}

/** A new transport instance on the bus, as a service process would create it from its config. */
export function createTransport(bus: BusSpec, logger: Logger): Transport {
  return bus.kind === 'rabbitmq'
    ? createRabbitMqTransport({ url: bus.url, logger })
    : createPostgresTransport({ connectionString: bus.url, logger });
}
