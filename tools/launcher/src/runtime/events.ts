import { LauncherError } from '../errors.ts';
import type { Secrets } from '../home/secrets.ts';
import { BUS_DATABASE, provisionBusDatabase } from '../postgres/provision.ts';
import type { Progress } from '../ui/progress.ts';
import type { Teardown } from './teardown.ts';

/**
 * Which transport the event backbone (@shopnow/events) uses in this run. The
 * default is PostgreSQL: the `bus` database on the embedded server. The
 * launcher's own environment may choose RabbitMQ instead, for production-like
 * local runs: `EVENTS_TRANSPORT=rabbitmq AMQP_URL=amqp://… npm start`.
 */
export type EventsTransport = { kind: 'postgres' } | { kind: 'rabbitmq'; amqpUrl: string };

/** The variables every service process (and admin command) gets for its transport. */
export type EventsEnv =
  | { EVENTS_TRANSPORT: 'postgres'; BUS_DATABASE_URL: string }
  | { EVENTS_TRANSPORT: 'rabbitmq'; AMQP_URL: string };

/** Reads EVENTS_TRANSPORT / AMQP_URL of the launcher's environment; a bad value is one clear line. */
export function eventsTransportFrom(env: NodeJS.ProcessEnv): EventsTransport {
  const chosen = env.EVENTS_TRANSPORT?.trim() ?? '';
  if (chosen === '' || chosen === 'postgres') return { kind: 'postgres' };
  if (chosen !== 'rabbitmq') {
    throw new LauncherError(
      `config: EVENTS_TRANSPORT must be postgres or rabbitmq (got "${chosen}")`,
      'unset it to use the bus database on the embedded PostgreSQL',
    );
  }
  const amqpUrl = env.AMQP_URL?.trim() ?? '';
  const hint = 'e.g. EVENTS_TRANSPORT=rabbitmq AMQP_URL=amqp://user:pass@127.0.0.1:5672 npm start';
  if (amqpUrl === '') {
    throw new LauncherError('config: EVENTS_TRANSPORT=rabbitmq needs AMQP_URL (an amqp:// URL)', hint);
  }
  // Never echo the value: it usually holds a password.
  if (!URL.canParse(amqpUrl) || !['amqp:', 'amqps:'].includes(new URL(amqpUrl).protocol)) {
    throw new LauncherError('config: AMQP_URL must be an amqp:// or amqps:// URL', hint);
  }
  return { kind: 'rabbitmq', amqpUrl };
}

/**
 * Creates (or upgrades in place) the `bus` database and role on every start,
 * whatever the transport, so switching back to PostgreSQL needs nothing; then
 * returns the variables the services get.
 */
export async function bringUpBus(ctx: {
  postgresUrl: string;
  secrets: Secrets;
  transport: EventsTransport;
  progress: Progress;
  teardown: Teardown;
}): Promise<EventsEnv> {
  const started = Date.now();
  const bus = await provisionBusDatabase(ctx.postgresUrl, ctx.secrets.bus.password);
  ctx.teardown.checkpoint();
  if (ctx.transport.kind === 'rabbitmq') {
    ctx.progress.done(
      'events',
      `EVENTS_TRANSPORT=rabbitmq at ${redactUrl(ctx.transport.amqpUrl)} (database "${BUS_DATABASE}" kept, unused)`,
      started,
    );
    return { EVENTS_TRANSPORT: 'rabbitmq', AMQP_URL: ctx.transport.amqpUrl };
  }
  ctx.progress.done('events', `database "${BUS_DATABASE}" with its own role (pg-boss)`, started);
  return { EVENTS_TRANSPORT: 'postgres', BUS_DATABASE_URL: bus.url };
}

/** One line for the ready summary, without credentials. */
export function describeEvents(events: EventsEnv): string {
  return events.EVENTS_TRANSPORT === 'rabbitmq'
    ? `rabbitmq at ${redactUrl(events.AMQP_URL)} (AMQP_URL)`
    : `postgres, database "${BUS_DATABASE}" at ${redactUrl(events.BUS_DATABASE_URL)} (BUS_DATABASE_URL)`;
}

/** The URL without its password. */
export function redactUrl(raw: string): string {
  const url = new URL(raw);
  url.password = '';
  return url.toString();
}
