import type { EventCatalog, EventContract, EventData, EventEnvelope } from '@shopnow/contracts';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DeliveryBatcher } from './inbox/batch.ts';
import type { EventHandler, Subscription } from './inbox/handlers.ts';
import type { GroupContext, RetryPolicy } from './inbox/process-delivery.ts';
import { createEventsMetrics, type EventsMetrics } from './metrics.ts';
import { type NewEvent, writeToOutbox } from './outbox/publish.ts';
import { OutboxRelay, type RelayOptions } from './outbox/relay.ts';
import type { Consumer, Transport } from './transport.ts';

/**
 * Deliveries in flight per consumer group per instance (the postgres transport's fetch size, the
 * RabbitMQ prefetch). Large enough that a backlog built during a pause drains quickly: deliveries
 * fetched together are applied in one transaction, so a batch of 32 costs about what a batch of 8
 * does (bench: events-throughput, where 8 left p99 at 500/s near 100 ms and 32 halved it).
 */
export const DEFAULT_CONCURRENCY = 32;

export interface EventsOptions {
  /** The producing service: the envelope's `source`. */
  service: string;
  /** The service's own database (outbox, inbox and dead letters live there). */
  db: pg.Pool;
  transport: Transport;
  /** The event types this service publishes or consumes. */
  catalog: EventCatalog;
  logger: Logger;
  /** The app's metrics registry (outbox and consumer metrics are added to it). */
  metrics?: Registry | undefined;
  relay?: RelayOptions;
  retry?: Partial<RetryPolicy>;
  /** Deliveries in flight per consumer group in this instance. Default DEFAULT_CONCURRENCY. */
  concurrency?: number;
  /** Run the outbox relay in this process. Default true. */
  relayEnabled?: boolean;
}

/**
 * A service's event backbone: `publish` in its transactions, `subscribe` its handlers, then
 * `start` (relay + consumers) and `stop` at shutdown.
 */
export class Events {
  readonly #options: EventsOptions;
  readonly #metrics: EventsMetrics;
  readonly #relay: OutboxRelay | undefined;
  readonly #groups = new Map<string, Map<string, EventHandler>>();
  readonly #consumers: Consumer[] = [];
  readonly #retry: RetryPolicy;
  #started = false;

  constructor(options: EventsOptions) {
    this.#options = options;
    this.#metrics = createEventsMetrics(options.metrics, options.db);
    this.#retry = {
      maxAttempts: options.retry?.maxAttempts ?? 5,
      baseDelayMs: options.retry?.baseDelayMs ?? 200,
      maxDelayMs: options.retry?.maxDelayMs ?? 30_000,
    };
    this.#relay =
      options.relayEnabled === false
        ? undefined
        : new OutboxRelay(options.db, options.transport, options.logger, this.#metrics, options.relay);
  }

  get transport(): Transport {
    return this.#options.transport;
  }

  /** Writes `event` to the outbox in `tx`; it is delivered if and only if `tx` commits. */
  async publish<C extends EventContract>(
    tx: pg.ClientBase,
    contract: C,
    event: NewEvent<EventData<C>>,
  ): Promise<EventEnvelope<EventData<C>>> {
    return writeToOutbox(tx, this.#options.catalog, this.#options.service, contract, event);
  }

  /** Registers a handler; call before start(). One handler per event type per group. */
  subscribe<C extends EventContract>(subscription: Subscription<C>): this {
    if (this.#started) throw new Error('events: subscribe before start()');
    const { contract, group } = subscription;
    if (this.#options.catalog.get(contract.type) !== contract) {
      throw new Error(`events: ${contract.type} is not in this service's catalog`);
    }
    let handlers = this.#groups.get(group);
    if (handlers === undefined) {
      handlers = new Map();
      this.#groups.set(group, handlers);
    }
    if (handlers.has(contract.type)) throw new Error(`events: ${group} already handles ${contract.type}`);
    handlers.set(contract.type, subscription.handle as EventHandler);
    return this;
  }

  /** Starts the transport, the consumers of every subscribed group, and the relay. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { transport, logger } = this.#options;
    await transport.start();
    for (const [group, handlers] of this.#groups) {
      const ctx: GroupContext = {
        group,
        db: this.#options.db,
        catalog: this.#options.catalog,
        handlers,
        retry: this.#retry,
        logger,
        metrics: this.#metrics,
        transportKind: transport.kind,
      };
      // Deliveries arriving together are applied in one transaction (see inbox/batch.ts).
      const batcher = new DeliveryBatcher(ctx);
      const consumer = await transport.consume(
        { group, types: [...handlers.keys()], concurrency: this.#options.concurrency ?? DEFAULT_CONCURRENCY },
        (delivery) => batcher.submit(delivery),
      );
      this.#consumers.push(consumer);
      logger.info({ consumer_group: group, event_types: [...handlers.keys()] }, 'consuming events');
    }
    this.#relay?.start();
  }

  /** Stops the relay and the consumers (waiting for deliveries in hand), then the transport. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.#relay?.stop();
    await Promise.allSettled(this.#consumers.splice(0).map((consumer) => consumer.close()));
    await this.#options.transport.close();
  }
}
