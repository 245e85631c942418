// @shopnow/events: the transactional outbox, the idempotent inbox, dead letters, and two
// transports with one contract (PostgreSQL via pg-boss, RabbitMQ via rabbitmq-client).
export { backoffDelayMs } from './backoff.ts';
export { type EventsConfig, eventsConfigSpec, transportFromConfig } from './config.ts';
export {
  consumerGroups,
  declareConsumerGroups,
  declareConsumerGroupsStep,
  declareOnConfiguredBus,
  type SubscriptionsSource,
  subscriptionsFrom,
} from './consumer-groups.ts';
export { deadLetterAdminCommand } from './dead-letters/admin-command.ts';
export { runDeadLetterCommand } from './dead-letters/cli.ts';
export { type ReplayResult, replayDeadLetter } from './dead-letters/replay.ts';
export {
  type DeadLetterRoutesOptions,
  deadLetterErrors,
  registerDeadLetterRoutes,
} from './dead-letters/routes.ts';
export { type DeadLetter, getDeadLetter, listDeadLetters } from './dead-letters/store.ts';
export { DEFAULT_CONCURRENCY, Events, type EventsOptions } from './events.ts';
export { consume, type EventHandler, type Subscription } from './inbox/handlers.ts';
export type { RetryPolicy } from './inbox/process-delivery.ts';
export { EVENTS_MIGRATIONS } from './migrations.ts';
export { type NewEvent, OUTBOX_CHANNEL } from './outbox/publish.ts';
export type { RelayOptions } from './outbox/relay.ts';
export { outboxOnlyEvents } from './outbox-only.ts';
export {
  createServiceApp,
  type ServiceApp,
  type ServiceAppConfig,
  type ServiceAppOptions,
} from './service-app.ts';
export type {
  ConsumeOptions,
  Consumer,
  Delivery,
  DeliveryHandler,
  OutgoingMessage,
  Settlement,
  Transport,
} from './transport.ts';
export { createPostgresTransport, queueNameForGroup } from './transports/postgres.ts';
export { createRabbitMqTransport } from './transports/rabbitmq.ts';
