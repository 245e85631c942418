// The seam between the event runtime (outbox relay, consumers, dead letters) and a broker.
// Two implementations, chosen by configuration, with the same semantics (the runtime contract
// suite, test/runtime-contract.ts, and the chaos test run over both): PostgreSQL through
// pg-boss, RabbitMQ through rabbitmq-client. A transport moves bytes and settles deliveries; the inbox, retry policy,
// dead letters and schema checks live above it, once, in the runtime.

/** One event on its way out: the serialised envelope and what routing needs. */
export interface OutgoingMessage {
  /** The envelope's `id`. */
  id: string;
  /** The envelope's `type` (`product.price_changed.v1`): the routing key. */
  type: string;
  /** The envelope's `subject`. */
  subject: string;
  /** The envelope as JSON text. */
  body: string;
}

/** One delivery of a message to a consumer group. */
export interface Delivery {
  /** The message as it arrived: JSON text or bytes (RabbitMQ), or a decoded value (pg-boss). */
  payload: unknown;
  /** 1 for the first attempt; each retry the runtime asked for adds one. */
  attempt: number;
}

/** What the runtime decided about a delivery; the transport carries it out. */
export type Settlement =
  /** Done (handled, a duplicate, or dead-lettered by the runtime): remove it from the queue. */
  | { outcome: 'ack' }
  /** Deliver again to the same group, not before `delayMs`, with `attempt + 1`. */
  | { outcome: 'retry'; delayMs: number };

export type DeliveryHandler = (delivery: Delivery) => Promise<Settlement>;

export interface ConsumeOptions {
  /** Consumer group: every instance of a service consuming with the same group shares its queue. */
  group: string;
  /** The event types this group receives. */
  types: readonly string[];
  /** Deliveries handled at once by this instance (RabbitMQ prefetch, pg-boss batch/concurrency). */
  concurrency: number;
}

export interface Consumer {
  /** Stops taking new deliveries and waits for those in hand to settle. */
  close(): Promise<void>;
}

export interface Transport {
  /** `postgres` or `rabbitmq`: for logs and metrics. */
  readonly kind: string;
  /** Connects and declares what publishing needs. Retries the connection in the background. */
  start(): Promise<void>;
  /**
   * Publishes a batch; resolves only when the broker has durably accepted every message in it
   * (RabbitMQ: publisher confirms; pg-boss: the insert committed). Rejects otherwise, and the
   * caller publishes the batch again later, so a message may be delivered twice, never lost.
   * Messages of one subject are accepted in the order given.
   */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  /**
   * Declares the group's queue and binds it to `types` (idempotent), with no consumer: from then on
   * every event of those types published is kept for the group until it consumes. A service's
   * migrate step does it (declareConsumerGroups), so events published before the group's first
   * consumer starts are not lost.
   */
  declareGroup(group: string, types: readonly string[]): Promise<void>;
  /**
   * Declares the group (as declareGroup) and starts delivering to `handler`.
   * A delivery whose handler has not settled when this instance dies is delivered again, to this
   * group, within seconds.
   */
  consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Consumer>;
  /** Puts one message on one group's queue only (dead-letter replay), durably, as attempt 1. */
  sendToGroup(group: string, message: OutgoingMessage): Promise<void>;
  /** Resolves when the transport can reach its broker now; rejects with the reason otherwise. */
  check(): Promise<void>;
  /** Closes consumers, then connections. */
  close(): Promise<void>;
}
