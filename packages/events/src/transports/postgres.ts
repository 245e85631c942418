// The PostgreSQL transport: the event bus as pg-boss queues in one database.
//
// - Each consumer group is one pg-boss queue (named after the group, see queueNameForGroup),
//   subscribed with `boss.subscribe(type, queue)` to each type it consumes. `publish` reads the
//   subscriptions of the batch's types once and inserts each queue's share of the batch with one
//   `boss.insert` per queue, all in one transaction (one statement needs none when a single queue
//   takes the batch): the batch is accepted whole when that commits.
//   Different groups each get every event; instances of one group compete for their queue's jobs.
// - Latency: `useListenNotify` plus the queues' `notify: true`, so an insert's commit wakes the
//   workers at once; polling stays as a backstop (see postgres/settings.ts).
// - A job in hand is kept alive by pg-boss's heartbeat; a dead consumer's job goes back to the queue
//   within about 17 s (the numbers and why are in postgres/settings.ts).
// - Retries the runtime asks for (`{ outcome: 'retry', delayMs }`) complete the job and insert its
//   successor (`attempt + 1`, `startAfter` = delay) in one transaction, fenced to the attempt this
//   worker holds. That keeps at least once: either both happen or neither does, and if neither does
//   the job stays active and comes back through the heartbeat. pg-boss's own retry (`fail`) is not
//   used for it because its delay is fixed per job at insert (whole seconds, pg-boss's backoff
//   formula), not the runtime's per-attempt backoff, and its retry count also counts crashes.
//   `attempt` lives in the job data; redeliveries after a crash or shutdown keep it unchanged.
// - The payload handed to the runtime is the envelope's JSON text exactly as published (a string);
//   a job someone inserted by hand is handed over as its decoded data, attempt 1 (job-data.ts).
import pg from 'pg';
import type { Db, Job, JobInsert } from 'pg-boss';
import { PgBoss } from 'pg-boss';
import { type Logger, pino } from 'pino';
import type {
  ConsumeOptions,
  Consumer,
  DeliveryHandler,
  OutgoingMessage,
  Settlement,
  Transport,
} from '../transport.ts';
import { deliveryOf, jobDataFor, retryDataOf } from './postgres/job-data.ts';
import { queueNameForGroup } from './postgres/queue-name.ts';
import {
  DEFAULT_POLLING_INTERVAL_SECONDS,
  GROUP_QUEUE_OPTIONS,
  HEARTBEAT_REFRESH_SECONDS,
  MAINTENANCE_INTERVAL_SECONDS,
  SUPERVISE_INTERVAL_SECONDS,
} from './postgres/settings.ts';

export { queueNameForGroup } from './postgres/queue-name.ts';

export interface PostgresTransportOptions {
  /** The bus database. */
  connectionString: string;
  /** The schema pg-boss lives in (created and migrated by `start()`). Default `pgboss`. */
  schema?: string;
  logger?: Logger;
  /** Backstop poll of idle workers, in seconds (>= 0.5). Default 2. */
  pollingIntervalSeconds?: number;
  /** Connections in pg-boss's pool (LISTEN takes one more). Default 10. */
  maxConnections?: number;
}

export interface PostgresTransport extends Transport {
  /**
   * Stops at once, as on a crash but without waiting for the heartbeat: consumers stop taking jobs,
   * the jobs in hand go back to their queues for another instance (their handlers' outcomes are
   * dropped), and the connections close.
   */
  abort(): Promise<void>;
}

export function createPostgresTransport(options: PostgresTransportOptions): PostgresTransport {
  return new PgBossTransport(options);
}

/** Delay of the retry made when a handler throws instead of returning a settlement. */
const HANDLER_ERROR_RETRY_MS = 1000;
/** A retry wakes this instance's workers this long after it falls due (timer vs database clock). */
const WAKE_MARGIN_MS = 25;
/** `check()` gives up after this. */
const CHECK_TIMEOUT_MS = 5000;
/** Repeated pg-boss errors (a database outage makes every poll fail) are logged at most this often. */
const ERROR_LOG_INTERVAL_MS = 5000;
/** How long `close()` lets pg-boss finish what it has in hand after the consumers have closed. */
const STOP_TIMEOUT_MS = 10_000;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,49}$/;

class PgBossTransport implements PostgresTransport {
  readonly kind = 'postgres';
  readonly #options: PostgresTransportOptions;
  readonly #schema: string;
  readonly #pollingIntervalSeconds: number;
  readonly #logger: Logger;
  readonly #consumers = new Set<GroupConsumer>();
  readonly #declaredQueues = new Map<string, Promise<void>>();
  readonly #wakeTimers = new Set<NodeJS.Timeout>();
  #boss: PgBoss | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #lastErrorLoggedAt = 0;
  #errorsNotLogged = 0;

  constructor(options: PostgresTransportOptions) {
    this.#options = options;
    this.#schema = options.schema ?? 'pgboss';
    if (!SCHEMA_NAME.test(this.#schema)) {
      throw new Error(
        `events: the pg-boss schema must be a lower-case SQL identifier, not ${JSON.stringify(this.#schema)}`,
      );
    }
    this.#pollingIntervalSeconds = options.pollingIntervalSeconds ?? DEFAULT_POLLING_INTERVAL_SECONDS;
    if (!(this.#pollingIntervalSeconds >= 0.5)) {
      throw new Error('events: pollingIntervalSeconds must be at least 0.5');
    }
    this.#logger = (options.logger ?? pino()).child({ transport: 'postgres' });
  }

  /**
   * Connects, creates or migrates the pg-boss schema and starts pg-boss's supervisor. Rejects when
   * the database cannot be reached now (a later call tries again). Once started, a lost connection
   * is re-made in the background: publishing rejects and workers log until the database is back.
   */
  start(): Promise<void> {
    if (this.#closing) return Promise.reject(new Error('events: the postgres transport is closed'));
    this.#starting ??= this.#start().catch((err: unknown) => {
      this.#starting = undefined;
      throw err;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    const boss = new PgBoss({
      connectionString: this.#options.connectionString,
      schema: this.#schema,
      application_name: 'shopnow-events',
      max: this.#options.maxConnections ?? 10,
      useListenNotify: true,
      supervise: true,
      superviseIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
      monitorIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
      maintenanceIntervalSeconds: MAINTENANCE_INTERVAL_SECONDS,
      // No cron schedules on the bus.
      schedule: false,
    });
    // pg-boss reports failures of its background work (polls, heartbeats, supervision) as events;
    // an `error` without a listener would end the process.
    boss.on('error', (err) => this.#reportError(err));
    boss.on('warning', (warning) =>
      this.#logger.warn({ warning: warning.data }, `pg-boss: ${warning.message}`),
    );
    try {
      await boss.start();
    } catch (err) {
      await boss.stop({ graceful: false }).catch(() => {});
      throw new Error(`events: cannot start the postgres transport: ${errorMessage(err)}`, { cause: err });
    }
    this.#boss = boss;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const boss = this.#started();
    const types = [...new Set(messages.map((message) => message.type))];
    // The queues subscribed to the batch's types, read once per batch; a subscription whose queue
    // was deleted is skipped (pg-boss's own publish would fail on it forever).
    const { rows } = await boss.getDb().executeSql(
      `select s.event, s.name from ${this.#schema}.subscription s
       join ${this.#schema}.queue q on q.name = s.name
       where s.event = any($1::text[])`,
      [types],
    );
    const queuesOfType = new Map<string, string[]>();
    for (const row of rows as Array<{ event: string; name: string }>) {
      const queues = queuesOfType.get(row.event) ?? [];
      queues.push(row.name);
      queuesOfType.set(row.event, queues);
    }
    const perQueue = new Map<string, OutgoingMessage[]>();
    for (const message of messages) {
      for (const queue of queuesOfType.get(message.type) ?? []) {
        const list = perQueue.get(queue) ?? [];
        list.push(message);
        perQueue.set(queue, list);
      }
    }
    const [only] = perQueue;
    if (perQueue.size === 1 && only !== undefined) {
      // One statement is atomic already: no BEGIN/COMMIT round trips for the common case.
      await boss.insert(only[0], inOrder(only[1]));
      return;
    }
    await this.#inTransaction(boss, async (db) => {
      for (const [queue, list] of perQueue) {
        await boss.insert(queue, inOrder(list), { db });
      }
    });
  }

  async declareGroup(group: string, types: readonly string[]): Promise<void> {
    const boss = this.#started();
    const queue = queueNameForGroup(group);
    await this.#declareQueue(boss, queue, true);
    for (const type of new Set(types)) await boss.subscribe(type, queue);
  }

  async consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Consumer> {
    const boss = this.#started();
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new Error(`events: consume concurrency must be a positive integer, not ${options.concurrency}`);
    }
    const queue = queueNameForGroup(options.group);
    await this.declareGroup(options.group, options.types);
    // One worker fetching up to `concurrency` jobs at a time, handled concurrently and completed
    // together by pg-boss in one statement: a fetch and a completion per batch rather than per
    // event, which is what bounds throughput on a busy database (bench: events-throughput). After
    // a full batch the worker fetches again at once (pg-boss would otherwise wait out the poll);
    // after a partial one it waits for NOTIFY or the poll.
    let workerId = '';
    workerId = await boss.work<unknown>(
      queue,
      {
        batchSize: options.concurrency,
        pollingIntervalSeconds: this.#pollingIntervalSeconds,
        notifyPollingIntervalSeconds: this.#pollingIntervalSeconds,
        heartbeatRefreshSeconds: HEARTBEAT_REFRESH_SECONDS,
      },
      async (jobs) => {
        await Promise.all(jobs.map((job) => this.#deliver(boss, queue, job, handler)));
        if (jobs.length === options.concurrency) boss.notifyWorker(workerId);
      },
    );
    const workerIds = [workerId];
    const consumer = new GroupConsumer(boss, queue, workerIds, (closed) => this.#consumers.delete(closed));
    this.#consumers.add(consumer);
    return consumer;
  }

  async sendToGroup(group: string, message: OutgoingMessage): Promise<void> {
    const boss = this.#started();
    const queue = queueNameForGroup(group);
    await this.#declareQueue(boss, queue, false);
    await boss.insert(queue, [{ data: jobDataFor(message) }]);
  }

  async check(): Promise<void> {
    const boss = this.#boss;
    const probe = boss
      ? boss
          .getDb()
          .executeSql('select 1')
          .then(() => {})
      : // Not started (or the start failed): ask the database directly, so the reason is the real one.
        probeDatabase(this.#options.connectionString);
    await withTimeout(probe, CHECK_TIMEOUT_MS, 'the bus database did not answer');
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#starting?.catch(() => {});
      // Consumers first, each waiting for the deliveries it has in hand to settle.
      await Promise.allSettled([...this.#consumers].map((consumer) => consumer.close()));
      this.#clearWakeTimers();
      const boss = this.#boss;
      this.#boss = undefined;
      await boss?.stop({ graceful: true, timeout: STOP_TIMEOUT_MS });
    })();
    return this.#closing;
  }

  abort(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#starting?.catch(() => {});
      this.#clearWakeTimers();
      const boss = this.#boss;
      this.#boss = undefined;
      this.#consumers.clear();
      // Not graceful: pg-boss fails the jobs in hand back to their queues and closes the pool.
      await boss?.stop({ graceful: false });
    })();
    return this.#closing;
  }

  #started(): PgBoss {
    if (this.#closing) throw new Error('events: the postgres transport is closed');
    if (this.#boss === undefined) throw new Error('events: the postgres transport is not started');
    return this.#boss;
  }

  /** Creates the queue if missing, and with `update` brings an existing one to today's options. */
  #declareQueue(boss: PgBoss, queue: string, update: boolean): Promise<void> {
    const known = this.#declaredQueues.get(queue);
    if (known && !update) return known;
    const declaring = (async () => {
      await boss.createQueue(queue, GROUP_QUEUE_OPTIONS);
      if (update) await boss.updateQueue(queue, GROUP_QUEUE_OPTIONS);
    })();
    this.#declaredQueues.set(queue, declaring);
    declaring.catch(() => this.#declaredQueues.delete(queue));
    return declaring;
  }

  /** Hands one job to the handler and carries out its settlement. */
  async #deliver(boss: PgBoss, queue: string, job: Job<unknown>, handler: DeliveryHandler): Promise<void> {
    const delivery = deliveryOf(job.data);
    let settlement: Settlement;
    try {
      settlement = await handler(delivery);
    } catch (err) {
      this.#logger.error(
        { err, queue, job_id: job.id },
        'event delivery handler threw; retrying the delivery',
      );
      settlement = { outcome: 'retry', delayMs: HANDLER_ERROR_RETRY_MS };
    }
    // `ack`: returning lets pg-boss complete the job (fenced to this attempt).
    if (settlement?.outcome === 'ack') return;
    let delayMs = HANDLER_ERROR_RETRY_MS;
    if (settlement?.outcome === 'retry' && Number.isFinite(settlement.delayMs)) {
      delayMs = Math.max(0, Math.ceil(settlement.delayMs));
    } else if (settlement?.outcome !== 'retry') {
      this.#logger.error(
        { queue, job_id: job.id, settlement },
        'unknown settlement of an event delivery; retrying it',
      );
    }
    await this.#retry(boss, queue, job, delivery.attempt + 1, delayMs);
  }

  /**
   * Completes the job and inserts its next attempt, due in `delayMs`, in one transaction. The
   * completion is fenced to the attempt this worker fetched: if the job was meanwhile failed back
   * (a lost heartbeat) and is another worker's now, nothing is inserted and that worker settles it.
   * A failure here (database down) propagates: pg-boss then tries to fail the job back, and if that
   * fails too, the job stays active until its heartbeat lapses and is delivered again.
   */
  async #retry(
    boss: PgBoss,
    queue: string,
    job: Job<unknown>,
    attempt: number,
    delayMs: number,
  ): Promise<void> {
    const next: JobInsert = { data: retryDataOf(job.data, attempt), startAfter: `${delayMs} milliseconds` };
    const requeued = await this.#inTransaction(boss, async (db) => {
      const completion = (await boss.complete(queue, { id: job.id, retryCount: job.retryCount }, null, {
        db,
      })) as { affected?: number };
      if (completion.affected !== 1) return false;
      await boss.insert(queue, [next], { db });
      return true;
    });
    // A future-dated job sends no NOTIFY; wake this instance's workers when it falls due (the poll
    // covers the other instances).
    if (requeued) this.#wakeWorkersAfter(boss, queue, delayMs + WAKE_MARGIN_MS);
  }

  #wakeWorkersAfter(boss: PgBoss, queue: string, ms: number): void {
    const timer = setTimeout(() => {
      this.#wakeTimers.delete(timer);
      if (this.#boss !== boss) return;
      for (const worker of boss.getWipData()) {
        if (worker.name === queue) boss.notifyWorker(worker.id);
      }
    }, ms);
    timer.unref();
    this.#wakeTimers.add(timer);
  }

  #clearWakeTimers(): void {
    for (const timer of this.#wakeTimers) clearTimeout(timer);
    this.#wakeTimers.clear();
  }

  async #inTransaction<T>(boss: PgBoss, work: (db: Db) => Promise<T>): Promise<T> {
    const database = boss.getDb();
    if (database.beginTransaction === undefined) throw new Error('events: pg-boss cannot open a transaction');
    const tx = await database.beginTransaction();
    try {
      const result = await work(tx.db);
      await tx.commit();
      return result;
    } catch (err) {
      await tx.rollback();
      throw err;
    }
  }

  #reportError(err: unknown): void {
    const now = Date.now();
    if (now - this.#lastErrorLoggedAt < ERROR_LOG_INTERVAL_MS) {
      this.#errorsNotLogged++;
      return;
    }
    this.#logger.error(
      { err, similar_errors_not_logged: this.#errorsNotLogged },
      `pg-boss: ${errorMessage(err)}`,
    );
    this.#lastErrorLoggedAt = now;
    this.#errorsNotLogged = 0;
  }
}

class GroupConsumer implements Consumer {
  readonly #boss: PgBoss;
  readonly #queue: string;
  readonly #workerIds: readonly string[];
  readonly #onClosed: (consumer: GroupConsumer) => void;
  #closing: Promise<void> | undefined;

  constructor(
    boss: PgBoss,
    queue: string,
    workerIds: readonly string[],
    onClosed: (consumer: GroupConsumer) => void,
  ) {
    this.#boss = boss;
    this.#queue = queue;
    this.#workerIds = workerIds;
    this.#onClosed = onClosed;
  }

  close(): Promise<void> {
    // offWork with `wait` returns once the worker's job in hand is settled.
    this.#closing ??= Promise.all(
      this.#workerIds.map((id) => this.#boss.offWork(this.#queue, { id, wait: true })),
    ).then(
      () => this.#onClosed(this),
      (err: unknown) => {
        this.#onClosed(this);
        throw err;
      },
    );
    return this.#closing;
  }
}

/**
 * A batch's jobs for one queue, fetched in the order given. Jobs inserted by one statement share
 * `created_on`, and pg-boss fetches in `(priority, created_on)` order through an index whose next
 * key is `start_after`; so each job starts a microsecond after the one before it (in the past, by
 * the database's clock, so all are due at once), which keeps a subject's events in order.
 */
function inOrder(messages: readonly OutgoingMessage[]): JobInsert[] {
  const last = messages.length - 1;
  return messages.map((message, index) => ({
    data: jobDataFor(message),
    ...(index < last ? { startAfter: `-${last - index} microseconds` } : {}),
  }));
}

async function probeDatabase(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => {});
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
