// A service's consumer groups declared ahead of its consumers, by its migrate step. The bus is
// publish-subscribe: a group receives what is published once its queue exists and is bound. When the
// queue only appeared with the group's first consumer, whatever a producer published before that (a
// first deploy with the producer rolled out first, a seed relayed at start) was lost for the group.
// Declared at migrate, before any instance of any service starts, it is kept until the group consumes.
import { type AdminStep, type Logger, loadConfig } from '@shopnow/chassis';
import { eventsConfigSpec, transportFromConfig } from './config.ts';
import type { Subscription } from './inbox/handlers.ts';
import type { Transport } from './transport.ts';

/**
 * What a service's consumes.ts exports: its subscriptions, or the function that builds them from the
 * running service's context (its handlers use the context; building them does not).
 */
export type SubscriptionsSource = readonly Subscription[] | ((context: never) => readonly Subscription[]);

/** Each consumer group of the subscriptions, with the event types it consumes. */
export function consumerGroups(subscriptions: readonly Subscription[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { group, contract } of subscriptions) {
    const types = groups.get(group) ?? [];
    if (!types.includes(contract.type)) types.push(contract.type);
    groups.set(group, types);
  }
  return groups;
}

/** Declares every group of the subscriptions on a started transport; resolves to their names. */
export async function declareConsumerGroups(
  transport: Transport,
  subscriptions: readonly Subscription[],
): Promise<string[]> {
  const groups = consumerGroups(subscriptions);
  for (const [group, types] of groups) await transport.declareGroup(group, types);
  return [...groups.keys()];
}

/**
 * The migrate step (runAdmin's `afterMigrate`) that declares the service's consumer groups on the bus
 * its configuration names (EVENTS_TRANSPORT and its URL, as the service reads them).
 */
export function declareConsumerGroupsStep(source: SubscriptionsSource): AdminStep {
  return async (context) => declareOnConfiguredBus(subscriptionsFrom(source), context);
}

/** Declares the groups of `subscriptions` on the bus `env` names, over a connection of its own. */
export async function declareOnConfiguredBus(
  subscriptions: readonly Subscription[],
  { logger, env }: { logger: Logger; env: NodeJS.ProcessEnv },
): Promise<void> {
  if (subscriptions.length === 0) return;
  const { EVENTS_TRANSPORT, BUS_DATABASE_URL, AMQP_URL } = eventsConfigSpec;
  const config = loadConfig({ EVENTS_TRANSPORT, BUS_DATABASE_URL, AMQP_URL }, env);
  const transport = transportFromConfig(config, logger);
  try {
    await transport.start();
    const groups = await declareConsumerGroups(transport, subscriptions);
    logger.info({ groups, transport: transport.kind }, 'consumer groups declared on the event bus');
  } finally {
    await transport.close();
  }
}

/** The subscriptions themselves, built (when a function) with a context that must not be read. */
export function subscriptionsFrom(source: SubscriptionsSource): readonly Subscription[] {
  return typeof source === 'function' ? source(contextOutsideTheService()) : source;
}

/** Stands in for the service's context while subscriptions are built to be declared: never read. */
function contextOutsideTheService(): never {
  return new Proxy(
    {},
    {
      get(_target, key) {
        throw new Error(
          `events: building the subscriptions read their context (${String(key)}); read it in the handlers`,
        );
      },
    },
  ) as never;
}
