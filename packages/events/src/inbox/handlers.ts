import type { EventContract, EventData, EventEnvelope } from '@shopnow/contracts';
import type pg from 'pg';

/** Applies one event inside the transaction that also records it in the inbox. */
export type EventHandler<TData = unknown> = (event: EventEnvelope<TData>, tx: pg.PoolClient) => Promise<void>;

/** One line of a service's `consumes.ts`: which event, which group, what to do. */
export interface Subscription<C extends EventContract = EventContract> {
  contract: C;
  /** The consumer group: every instance of the service shares it; name it `<service>.<purpose>`. */
  group: string;
  handle: EventHandler<EventData<C>>;
}

/** Typed constructor for a `consumes.ts` entry. */
export function consume<C extends EventContract>(
  contract: C,
  group: string,
  handle: EventHandler<EventData<C>>,
): Subscription<C> {
  return { contract, group, handle };
}
