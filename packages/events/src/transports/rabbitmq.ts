// The RabbitMQ transport, on rabbitmq-client (one connection per transport; the library reconnects
// it, re-opens channels, re-declares a consumer's queue, exchanges and bindings, and resumes it).
//
// - Topology (names, delay tiers, dead-lettering): see rabbitmq/topology.ts.
// - publish(): persistent messages (deliveryMode 2, messageId = event id, type = event type,
//   contentType application/json) to the type's domain exchange, on a confirm channel; resolves
//   when the broker has confirmed every message of the batch, rejects at once when not connected,
//   and rejects after `confirmTimeoutMs` when a confirm does not come (a dropped connection rejects
//   the unconfirmed at once). Never resolves without every confirm.
// - consume(): manual acks sent after the handler settled (the runtime commits first); prefetch =
//   concurrency. `retry` republishes the message (confirmed) to the group's delay tier with the
//   attempt count in `x-shopnow-attempt`, then acks; if that republish fails, the delivery is
//   rejected, and the group queue dead-letters it to its 5 s tier (back to the group, same attempt).
//   An ack that cannot be sent (its channel died) is logged; the broker redelivers the message and
//   the runtime's inbox swallows the duplicate.
// - sendToGroup(): to the group's queue through the default exchange (declared first, so the
//   message waits there even before the group's first consumer), confirmed, attempt 1.
import { hostname } from 'node:os';
import { type Logger, pino } from 'pino';
import {
  type Consumer as AmqpConsumer,
  type AsyncMessage,
  Connection,
  ConsumerStatus,
  type Envelope,
  type Publisher,
  type ReturnedMessage,
} from 'rabbitmq-client';
import type {
  ConsumeOptions,
  Consumer,
  DeliveryHandler,
  OutgoingMessage,
  Settlement,
  Transport,
} from '../transport.ts';
import {
  ATTEMPT_HEADER,
  attemptOf,
  bodyBytesOf,
  DUE_HEADER,
  dueOf,
  type Headers,
  payloadOf,
  republishHeaders,
} from './rabbitmq/message.ts';
import {
  DELAY_TIERS,
  delayQueue,
  delayQueueArguments,
  exchangeFor,
  groupQueue,
  groupQueueArguments,
  tierFor,
} from './rabbitmq/topology.ts';

export { DELAY_TIERS, delayQueue, exchangeFor, groupQueue } from './rabbitmq/topology.ts';

export interface RabbitMqTransportOptions {
  /** `amqp://user:pass@host:5672/vhost` (or amqps://). */
  url: string;
  logger?: Logger;
  /** Unacknowledged deliveries per consumer channel. Default: the consume call's concurrency. */
  prefetch?: number;
  /** Prefix of every exchange and queue name. Default `shopnow`. */
  exchangePrefix?: string;
  /** How long publish() and sendToGroup() wait for the broker's confirms. Default 5000 ms. */
  confirmTimeoutMs?: number;
  /** How long start() waits for the first connection. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** AMQP heartbeat: a silent peer is given up after about twice this. Default 10 s. */
  heartbeatSeconds?: number;
  /** How long close() waits for deliveries in hand and a clean AMQP close before dropping the connection. Default 10 000 ms. */
  closeTimeoutMs?: number;
}

export interface RabbitMqTransport extends Transport {
  /**
   * Drops the connection at once, as a crash would: deliveries in hand are not acknowledged (the
   * broker gives them to another consumer of the group), nothing is closed gracefully.
   */
  abort(): Promise<void>;
}

export function createRabbitMqTransport(options: RabbitMqTransportOptions): RabbitMqTransport {
  return new AmqpTransport(options);
}

/** Delay of the retry made when a handler throws (or settles with something unknown). */
const HANDLER_ERROR_RETRY_MS = 1000;
/** A message due this soon is handled now rather than sent on another hop. */
const DUE_SLACK_MS = 50;
/** `check()` gives up after this (or confirmTimeoutMs if shorter); consume()'s setup after SETUP_TIMEOUT_MS. */
const CHECK_TIMEOUT_MS = 5000;
const SETUP_TIMEOUT_MS = 15_000;

class AmqpTransport implements RabbitMqTransport {
  readonly kind = 'rabbitmq';
  readonly #options: RabbitMqTransportOptions;
  readonly #logger: Logger;
  readonly #prefix: string;
  readonly #confirmTimeoutMs: number;
  readonly #consumers = new Set<GroupConsumer>();
  /** Declarations done on the current connection (a broker may have lost them: redone on reconnect). */
  #exchanges = new Map<string, Promise<void>>();
  #groups = new Map<string, Promise<void>>();
  #connection: Connection | undefined;
  #events: Publisher | undefined;
  #direct: Publisher | undefined;
  #returned = new Set<string>();
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #lastError: string | undefined;

  constructor(options: RabbitMqTransportOptions) {
    this.#options = options;
    this.#logger = (options.logger ?? pino()).child({ transport: 'rabbitmq' });
    this.#prefix = options.exchangePrefix ?? 'shopnow';
    this.#confirmTimeoutMs = options.confirmTimeoutMs ?? 5000;
    if (!/^[A-Za-z0-9_.-]{1,50}$/.test(this.#prefix)) {
      throw new Error(
        `events: exchangePrefix must be 1-50 of [A-Za-z0-9_.-], not ${JSON.stringify(this.#prefix)}`,
      );
    }
    if (options.prefetch !== undefined && !(Number.isInteger(options.prefetch) && options.prefetch > 0)) {
      throw new Error(`events: prefetch must be a positive integer, not ${options.prefetch}`);
    }
  }

  /**
   * Connects. Rejects when the broker cannot be reached within `connectTimeoutMs` (a later call
   * tries again). Once started, a lost connection is re-made in the background: publishing rejects
   * and consumers wait until the broker is back.
   */
  start(): Promise<void> {
    if (this.#closing) return Promise.reject(new Error('events: the rabbitmq transport is closed'));
    this.#starting ??= this.#start().catch((err: unknown) => {
      this.#starting = undefined;
      throw err;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    const connection = new Connection({
      url: this.#options.url,
      connectionName: `shopnow-events ${hostname()} ${process.pid}`,
      heartbeat: this.#options.heartbeatSeconds ?? 10,
      frameMax: 131_072,
      // Reconnect quickly after a broker restart: 0.5 s doubling to 5 s between attempts.
      retryLow: 500,
      retryHigh: 5000,
      acquireTimeout: SETUP_TIMEOUT_MS,
    });
    // Without a listener, an `error` event would end the process.
    connection.on('error', (err) => {
      this.#lastError = errorMessage(err);
      this.#logger.warn(
        { err: errorMessage(err), url: redact(this.#options.url) },
        'rabbitmq connection error; reconnecting',
      );
    });
    connection.on('connection', () => {
      const reconnected = this.#connection !== undefined;
      this.#lastError = undefined;
      this.#exchanges = new Map();
      this.#groups = new Map();
      if (reconnected) {
        this.#logger.info({ url: redact(this.#options.url) }, 'rabbitmq connection re-established');
        for (const consumer of this.#consumers) {
          this.#declareGroup(consumer.group).catch((err: unknown) =>
            this.#logger.error(
              { err: errorMessage(err), consumer_group: consumer.group },
              'cannot re-declare delay queues',
            ),
          );
        }
      }
    });
    connection.on('connection.blocked', (reason) =>
      this.#logger.warn({ reason }, 'rabbitmq blocked this connection (resource alarm); publishing waits'),
    );
    connection.on('connection.unblocked', () => this.#logger.info('rabbitmq unblocked this connection'));
    const timeoutMs = this.#options.connectTimeoutMs ?? 10_000;
    try {
      await connection.onConnect(timeoutMs, true);
    } catch (err) {
      await connection.close().catch(() => {});
      const cause = this.#lastError ?? errorMessage((err as { cause?: unknown }).cause ?? err);
      throw new Error(
        `events: cannot connect to rabbitmq at ${redact(this.#options.url)} within ${timeoutMs} ms: ${cause}`,
        {
          cause: err,
        },
      );
    }
    this.#events = connection.createPublisher({ confirm: true, maxAttempts: 1 });
    this.#direct = connection.createPublisher({ confirm: true, maxAttempts: 1 });
    // Direct sends are mandatory: a message no queue takes comes back here instead of vanishing.
    this.#direct.on('basic.return', (message: ReturnedMessage) => {
      if (message.messageId) this.#returned.add(message.messageId);
    });
    this.#connection = connection;
    this.#logger.info({ url: redact(this.#options.url) }, 'rabbitmq connected');
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const connection = this.#ready();
    const publisher = this.#events as Publisher;
    await this.#confirmed('publish', async (expired) => {
      const exchanges = [...new Set(messages.map((message) => exchangeFor(this.#prefix, message.type)))];
      await Promise.all(exchanges.map((exchange) => this.#declareExchange(connection, exchange)));
      if (expired()) return;
      // One channel, sent in the order given: the broker keeps that order per queue.
      const sends = messages.map((message) =>
        publisher.send(
          {
            exchange: exchangeFor(this.#prefix, message.type),
            routingKey: message.type,
            durable: true,
            messageId: message.id,
            type: message.type,
            contentType: 'application/json',
          },
          Buffer.from(message.body, 'utf8'),
        ),
      );
      for (const send of sends) send.catch(() => {});
      await Promise.all(sends);
    });
  }

  async declareGroup(group: string, types: readonly string[]): Promise<void> {
    const connection = this.#started();
    const queue = groupQueue(this.#prefix, group);
    const declaring = (async () => {
      await this.#declareGroup(group);
      for (const type of new Set(types)) {
        const exchange = exchangeFor(this.#prefix, type);
        await this.#declareExchange(connection, exchange);
        await connection.queueBind({ exchange, queue, routingKey: type });
      }
    })();
    await withTimeout(declaring, SETUP_TIMEOUT_MS, `declaring the queues of ${group}`);
  }

  async consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Consumer> {
    const connection = this.#started();
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new Error(`events: consume concurrency must be a positive integer, not ${options.concurrency}`);
    }
    const queue = groupQueue(this.#prefix, options.group);
    await withTimeout(
      this.#declareGroup(options.group),
      SETUP_TIMEOUT_MS,
      `declaring the queues of ${options.group}`,
    );
    const types = [...new Set(options.types)];
    const exchanges = [...new Set(types.map((type) => exchangeFor(this.#prefix, type)))];
    const consumer = new GroupConsumer(options.group, this.#logger, (consumer) =>
      this.#consumers.delete(consumer),
    );
    const amqp = connection.createConsumer(
      {
        queue,
        queueOptions: { durable: true, arguments: groupQueueArguments(queue) },
        qos: { prefetchCount: this.#options.prefetch ?? options.concurrency },
        concurrency: options.concurrency,
        exchanges: exchanges.map((exchange) => ({ exchange, type: 'topic', durable: true })),
        queueBindings: types.map((type) => ({
          exchange: exchangeFor(this.#prefix, type),
          queue,
          routingKey: type,
        })),
        // The handler below never throws; should the library nack anyway, dead-letter (to the parking tier).
        requeue: false,
      },
      (message) => consumer.track(this.#deliver(options.group, queue, message, handler)),
    );
    consumer.attach(amqp);
    this.#consumers.add(consumer);
    try {
      await consumer.ready(SETUP_TIMEOUT_MS);
    } catch (err) {
      await consumer.close();
      throw new Error(`events: cannot consume ${options.group} from rabbitmq: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    return consumer;
  }

  async sendToGroup(group: string, message: OutgoingMessage): Promise<void> {
    this.#ready();
    const queue = groupQueue(this.#prefix, group);
    await this.#confirmed('sendToGroup', async (expired) => {
      await this.#declareGroup(group);
      if (expired()) return;
      await this.#sendDirect(queue, message.id, {
        body: Buffer.from(message.body, 'utf8'),
        type: message.type,
        contentType: 'application/json',
        headers: {},
      });
    });
  }

  async check(): Promise<void> {
    const connection = this.#connection;
    if (this.#closing) throw new Error('events: the rabbitmq transport is closed');
    if (connection === undefined) throw new Error('events: the rabbitmq transport is not started');
    if (!connection.ready)
      throw new Error(`events: rabbitmq is not connected (${this.#lastError ?? 'connecting'})`);
    // A round trip, so a silently dead peer counts as down too.
    await withTimeout(
      connection.exchangeDeclare({ exchange: 'amq.topic', type: 'topic', passive: true }),
      Math.min(this.#confirmTimeoutMs, CHECK_TIMEOUT_MS),
      'rabbitmq did not answer',
    );
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#starting?.catch(() => {});
      const connection = this.#connection;
      const graceful = async () => {
        // When the broker is away, drop the connection first: consumers waiting to reconnect then
        // give up at once instead of after their setup timeout.
        if (connection && !connection.ready) await connection.close().catch(() => {});
        // Consumers first, each waiting for the deliveries it has in hand to settle.
        await Promise.allSettled([...this.#consumers].map((consumer) => consumer.close()));
        await Promise.allSettled([this.#events?.close(), this.#direct?.close()]);
        await connection?.close().catch(() => {});
      };
      // A shutdown must end: a handler that never settles, or a close the broker never answers,
      // leaves its deliveries unacknowledged, and the broker gives them to another instance.
      try {
        await withTimeout(graceful(), this.#options.closeTimeoutMs ?? 10_000, 'close did not finish');
      } catch (err) {
        this.#logger.warn({ err: errorMessage(err) }, 'rabbitmq transport dropped its connection');
        for (const consumer of this.#consumers) consumer.abandon();
        this.#consumers.clear();
        connection?.unsafeDestroy();
      }
      this.#logger.debug('rabbitmq transport closed');
    })();
    return this.#closing;
  }

  abort(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#starting?.catch(() => {});
      for (const consumer of this.#consumers) consumer.abandon();
      this.#consumers.clear();
      this.#connection?.unsafeDestroy();
    })();
    return this.#closing;
  }

  /** Carries one delivery to the handler and its settlement back to the broker. */
  async #deliver(
    group: string,
    queue: string,
    message: AsyncMessage,
    handler: DeliveryHandler,
  ): Promise<ConsumerStatus> {
    const due = dueOf(message.headers);
    const now = Date.now();
    if (due !== undefined && due - now > DUE_SLACK_MS) {
      // Part of a delay longer than the longest tier: another hop, same attempt.
      return this.#delay(group, queue, message, due - now, republishHeaders(message, {}));
    }
    const attempt = attemptOf(message.headers);
    let settlement: Settlement;
    try {
      settlement = await handler({ payload: payloadOf(message), attempt });
    } catch (err) {
      this.#logger.error(
        { err, consumer_group: group, message_id: message.messageId },
        'event delivery handler threw; retrying the delivery',
      );
      settlement = { outcome: 'retry', delayMs: HANDLER_ERROR_RETRY_MS };
    }
    if (settlement?.outcome === 'ack') return ConsumerStatus.ACK;
    let delayMs = HANDLER_ERROR_RETRY_MS;
    if (settlement?.outcome === 'retry' && Number.isFinite(settlement.delayMs)) {
      delayMs = Math.max(0, Math.ceil(settlement.delayMs));
    } else {
      this.#logger.error(
        { consumer_group: group, settlement },
        'unknown settlement of an event delivery; retrying it',
      );
    }
    const headers = republishHeaders(message, { [ATTEMPT_HEADER]: attempt });
    delete headers[DUE_HEADER];
    return this.#delay(group, queue, message, delayMs, headers);
  }

  /**
   * Republishes a delivery to the group's delay tier for `delayMs` (straight to the group's queue
   * for 0), confirmed, then acks it. If that fails, rejects it: the group queue dead-letters it to
   * its parking tier, so it still comes back (same attempt) and is never lost. If the channel died
   * meanwhile, neither reaches the broker, which redelivers the original.
   */
  async #delay(
    group: string,
    queue: string,
    message: AsyncMessage,
    delayMs: number,
    headers: Headers,
  ): Promise<ConsumerStatus> {
    const tier = delayMs > 0 ? tierFor(delayMs) : undefined;
    if (tier && delayMs > tier.ms) headers[DUE_HEADER] = Date.now() + delayMs;
    try {
      this.#ready();
      await this.#confirmed('retry', () =>
        this.#sendDirect(tier ? delayQueue(queue, tier) : queue, message.messageId, {
          body: bodyBytesOf(message),
          type: message.type,
          contentType: message.contentType,
          contentEncoding: message.contentEncoding,
          headers,
        }),
      );
      return ConsumerStatus.ACK;
    } catch (err) {
      this.#logger.warn(
        { err: errorMessage(err), consumer_group: group, message_id: message.messageId },
        'cannot delay a retry; rejecting the delivery to the parking queue',
      );
      return ConsumerStatus.DROP;
    }
  }

  /** A confirmed, mandatory publish through the default exchange to one queue. */
  async #sendDirect(
    queue: string,
    messageId: string | undefined,
    message: {
      body: Buffer;
      type?: string | undefined;
      contentType?: string | undefined;
      contentEncoding?: string | undefined;
      headers: Headers;
    },
  ): Promise<void> {
    const envelope: Envelope = {
      exchange: '',
      routingKey: queue,
      mandatory: true,
      durable: true,
      headers: message.headers,
    };
    if (messageId !== undefined) envelope.messageId = messageId;
    if (message.type !== undefined) envelope.type = message.type;
    if (message.contentType !== undefined) envelope.contentType = message.contentType;
    if (message.contentEncoding !== undefined) envelope.contentEncoding = message.contentEncoding;
    const id = messageId ?? '';
    this.#returned.delete(id);
    await (this.#direct as Publisher).send(envelope, message.body);
    // The broker sends basic.return before the confirm; the client emits it on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.#returned.delete(id))
      throw new Error(`events: rabbitmq has no queue ${queue}; the message was returned`);
  }

  /** Runs `work` (publishes), rejecting after `confirmTimeoutMs`; `expired()` tells work to give up. */
  async #confirmed(what: string, work: (expired: () => boolean) => Promise<void>): Promise<void> {
    let expired = false;
    const running = work(() => expired);
    running.catch(() => {});
    try {
      await withTimeout(running, this.#confirmTimeoutMs, `rabbitmq did not confirm ${what}`);
    } finally {
      expired = true;
    }
  }

  #declareExchange(connection: Connection, exchange: string): Promise<void> {
    let declared = this.#exchanges.get(exchange);
    if (declared === undefined) {
      declared = connection.exchangeDeclare({ exchange, type: 'topic', durable: true });
      this.#exchanges.set(exchange, declared);
      declared.catch(() => this.#exchanges.delete(exchange));
    }
    return declared;
  }

  /** The group's queue and its delay tiers (idempotent; the arguments must match any existing ones). */
  #declareGroup(group: string): Promise<void> {
    let declared = this.#groups.get(group);
    if (declared === undefined) {
      const connection = this.#started();
      const queue = groupQueue(this.#prefix, group);
      declared = (async () => {
        await connection.queueDeclare({ queue, durable: true, arguments: groupQueueArguments(queue) });
        for (const tier of DELAY_TIERS) {
          await connection.queueDeclare({
            queue: delayQueue(queue, tier),
            durable: true,
            arguments: delayQueueArguments(queue, tier),
          });
        }
      })();
      this.#groups.set(group, declared);
      declared.catch(() => this.#groups.delete(group));
    }
    return declared;
  }

  #started(): Connection {
    if (this.#closing) throw new Error('events: the rabbitmq transport is closed');
    if (this.#connection === undefined) throw new Error('events: the rabbitmq transport is not started');
    return this.#connection;
  }

  /** The connection, if it is up now: publishing while it is down fails at once, never later. */
  #ready(): Connection {
    const connection = this.#started();
    if (!connection.ready)
      throw new Error(`events: rabbitmq is not connected (${this.#lastError ?? 'connecting'})`);
    return connection;
  }
}

/** One consume() call: the library's consumer plus the deliveries in hand. */
class GroupConsumer implements Consumer {
  readonly group: string;
  readonly #logger: Logger;
  readonly #onClosed: (consumer: GroupConsumer) => void;
  readonly #inHand = new Set<Promise<unknown>>();
  #amqp: AmqpConsumer | undefined;
  #closing: Promise<void> | undefined;
  #abandoned = false;

  constructor(group: string, logger: Logger, onClosed: (consumer: GroupConsumer) => void) {
    this.group = group;
    this.#logger = logger;
    this.#onClosed = onClosed;
  }

  attach(amqp: AmqpConsumer): void {
    this.#amqp = amqp;
    amqp.on('error', (err) => {
      if (this.#abandoned) return;
      // Setup failures (broker away: retried), acks on a dead channel (the broker redelivers), a
      // cancelled consumer (queue deleted: re-declared and resumed).
      this.#logger.warn({ err: errorMessage(err), consumer_group: this.group }, 'rabbitmq consumer error');
    });
    amqp.on('ready', () =>
      this.#logger.debug({ consumer_group: this.group, queue: amqp.queue }, 'rabbitmq consumer ready'),
    );
  }

  /** Resolves on the consumer's first `ready`; rejects on a setup error or after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void> {
    const amqp = this.#amqp as AmqpConsumer;
    return new Promise((resolve, reject) => {
      const done = (err?: unknown) => {
        clearTimeout(timer);
        amqp.off('ready', onReady);
        amqp.off('error', onError);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onReady = () => done();
      const onError = (err: unknown) => done(err);
      const timer = setTimeout(() => done(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
      amqp.once('ready', onReady);
      amqp.once('error', onError);
    });
  }

  track<T>(delivery: Promise<T>): Promise<T> {
    this.#inHand.add(delivery);
    const forget = () => this.#inHand.delete(delivery);
    delivery.then(forget, forget);
    return delivery;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#amqp?.close().catch((err: unknown) => {
        this.#logger.warn(
          { err: errorMessage(err), consumer_group: this.group },
          'rabbitmq consumer did not close cleanly',
        );
      });
      // The library waits for its handlers too, unless the connection dropped while it cancelled.
      await Promise.allSettled([...this.#inHand]);
      this.#onClosed(this);
    })();
    return this.#closing;
  }

  /** After abort(): no more logging of the failures that follow a dropped connection. */
  abandon(): void {
    this.#abandoned = true;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`events: ${what} within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  return String(err);
}

/** The URL without its password, for logs and errors. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}
