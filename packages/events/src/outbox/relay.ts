import { SpanKind, trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import { backoffDelayMs } from '../backoff.ts';
import type { EventsMetrics } from '../metrics.ts';
import { producerContext } from '../trace-context.ts';
import type { OutgoingMessage, Transport } from '../transport.ts';
import { OUTBOX_CHANNEL } from './publish.ts';

export interface RelayOptions {
  /** Rows forwarded per transport call. Default 200. */
  batchSize?: number;
  /** Backstop poll when no NOTIFY arrives (another replica's commit, a lost listener). Default 1000 ms. */
  pollIntervalMs?: number;
  /**
   * After a pass that sent something, wait this long before the next, so that events committed
   * meanwhile go out in one batch: a pass costs the same round trips for one row or a hundred.
   * Adds at most this much latency, and only under load (the first event after a quiet spell goes
   * at once). Default 5 ms; 0 for none.
   */
  lingerMs?: number;
  /** Sent rows are deleted this long after sending. Default 24 h. */
  retentionMs?: number;
  /** Inbox entries are deleted this long after handling (far beyond any redelivery). Default 30 days. */
  inboxRetentionMs?: number;
  /** How often sent rows and old inbox entries are pruned. Default 10 min. */
  pruneIntervalMs?: number;
  /** Backoff after a failed publish: first delay and cap. Defaults 500 ms and 30 s. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

// One key for every service: advisory locks are per database, and each service has its own.
const RELAY_LOCK_KEY = 7_391_004_212;

interface PendingRow {
  seq: string;
  id: string;
  type: string;
  subject: string;
  body: string;
  created_at: Date;
}

/**
 * Forwards committed outbox rows to the transport, oldest first, and marks them sent.
 *
 * - One relay at a time per database: each batch runs in a transaction holding an advisory lock,
 *   so replicas never send a row twice concurrently, and rows go out in `seq` order (per subject,
 *   that is commit order, since the change that publishes holds the subject's row lock).
 * - A batch is marked sent only after the transport accepted all of it (publisher confirms), in
 *   the same transaction that read it; a crash in between sends it again (at least once; the
 *   consumers' inbox makes that harmless).
 * - Woken by NOTIFY at the publisher's commit, with a poll as backstop; a failed publish backs off
 *   exponentially, so a transport that is down is retried until it is back.
 */
export class OutboxRelay {
  readonly #db: pg.Pool;
  readonly #transport: Transport;
  readonly #logger: Logger;
  readonly #metrics: EventsMetrics;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #lingerMs: number;
  readonly #retentionMs: number;
  readonly #pruneIntervalMs: number;
  readonly #inboxRetentionMs: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #woken = false;
  #listener: { client: pg.PoolClient; release: (err?: Error) => void } | undefined;
  #failures = 0;
  #lastPrune = 0;

  constructor(
    db: pg.Pool,
    transport: Transport,
    logger: Logger,
    metrics: EventsMetrics,
    options: RelayOptions = {},
  ) {
    this.#db = db;
    this.#transport = transport;
    this.#logger = logger;
    this.#metrics = metrics;
    this.#batchSize = options.batchSize ?? 200;
    if (!Number.isInteger(this.#batchSize) || this.#batchSize < 1) {
      throw new Error(`events: the relay's batchSize must be a positive integer, not ${this.#batchSize}`);
    }
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#lingerMs = options.lingerMs ?? 5;
    this.#retentionMs = options.retentionMs ?? 24 * 3600_000;
    this.#pruneIntervalMs = options.pruneIntervalMs ?? 600_000;
    this.#inboxRetentionMs = options.inboxRetentionMs ?? 30 * 24 * 3600_000;
    this.#retryBaseMs = options.retryBaseMs ?? 500;
    this.#retryMaxMs = options.retryMaxMs ?? 30_000;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops after the batch in hand (which is then either sent and marked, or left pending). */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wakeUp();
    await this.#loop;
    await this.#unlisten();
  }

  /** Asks for a pass now (a publisher in this process committed). */
  nudge(): void {
    this.#wakeUp();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      await this.#ensureListening();
      let sent = 0;
      try {
        sent = await this.#relayBatch();
        this.#failures = 0;
        await this.#pruneIfDue();
      } catch (err) {
        this.#failures++;
        const delay = backoffDelayMs(this.#failures, this.#retryBaseMs, this.#retryMaxMs);
        this.#logger.warn(
          { err, retry_in_ms: delay, failures: this.#failures },
          'outbox relay failed; retrying',
        );
        await this.#sleep(delay, false);
        continue;
      }
      // A full batch means more is waiting: go again at once.
      if (sent < this.#batchSize) await this.#sleep(this.#pollIntervalMs, true);
      if (sent > 0 && sent < this.#batchSize && this.#lingerMs > 0 && this.#running) {
        await new Promise((resolve) => setTimeout(resolve, this.#lingerMs));
      }
    }
  }

  /** One batch under the relay lock; returns how many rows were sent (-1 batchSize if another relays). */
  async #relayBatch(): Promise<number> {
    const client = await this.#db.connect();
    let release: Error | undefined;
    try {
      // BEGIN, the lock and the read in one round trip: two statements in one simple-protocol
      // query (their only values are integer constants, written into the text), and the CTE takes
      // the lock once (a volatile CTE is evaluated once); without the lock no row is read (another
      // replica is relaying: poll later).
      const [, read] = (await client.query(
        `begin;
         with relay_lock as (select pg_try_advisory_xact_lock(${RELAY_LOCK_KEY}) as locked)
         select seq, id, type, subject, body, created_at
           from relay_lock, outbox
          where relay_lock.locked and sent_at is null
          order by seq limit ${this.#batchSize}`,
      )) as unknown as [pg.QueryResult, pg.QueryResult<PendingRow>];
      const rows = read?.rows ?? [];
      if (rows.length === 0) {
        await client.query('commit');
        return 0;
      }
      try {
        await this.#publish(rows);
      } catch (err) {
        await client.query(
          'update outbox set attempts = attempts + 1, last_error = $2 where seq = any($1::bigint[])',
          [rows.map((row) => row.seq), String(err instanceof Error ? err.message : err).slice(0, 1000)],
        );
        await client.query('commit');
        throw err;
      }
      // Marked and committed in one round trip too; `seq` values are the database's own bigints.
      await client.query(
        `update outbox set sent_at = now() where seq = any('{${rows.map((row) => bigintLiteral(row.seq)).join(',')}}'::bigint[]);
         commit`,
      );
      const now = Date.now();
      for (const row of rows) this.#metrics.relayed(row.type, (now - row.created_at.getTime()) / 1000);
      return rows.length;
    } catch (err) {
      await client.query('rollback').catch((rollbackErr: Error) => {
        release = rollbackErr;
      });
      throw err;
    } finally {
      client.release(release);
    }
  }

  async #publish(rows: PendingRow[]): Promise<void> {
    const tracer = trace.getTracer('@shopnow/events');
    const spans = rows.map((row) =>
      tracer.startSpan(
        `send ${row.type}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': this.#transport.kind,
            'messaging.operation.type': 'send',
            'messaging.destination.name': row.type,
            'messaging.message.id': row.id,
          },
        },
        producerContext(traceparentOf(row.body)),
      ),
    );
    const messages: OutgoingMessage[] = rows.map((row) => ({
      id: row.id,
      type: row.type,
      subject: row.subject,
      body: row.body,
    }));
    try {
      await this.#transport.publish(messages);
    } catch (err) {
      for (const span of spans) {
        span.recordException(err as Error);
        span.end();
      }
      throw err;
    }
    for (const span of spans) span.end();
  }

  async #pruneIfDue(): Promise<void> {
    if (Date.now() - this.#lastPrune < this.#pruneIntervalMs) return;
    this.#lastPrune = Date.now();
    const { rowCount } = await this.#db.query(
      `delete from outbox where sent_at < now() - make_interval(secs => $1)`,
      [this.#retentionMs / 1000],
    );
    const inbox = await this.#db.query(
      `delete from inbox where handled_at < now() - make_interval(secs => $1)`,
      [this.#inboxRetentionMs / 1000],
    );
    if (rowCount || inbox.rowCount) {
      this.#logger.info({ outbox_pruned: rowCount, inbox_pruned: inbox.rowCount }, 'events: pruned old rows');
    }
  }

  async #ensureListening(): Promise<void> {
    if (this.#listener !== undefined || !this.#running) return;
    try {
      const client = await this.#db.connect();
      // A failing connection can both emit `error` and fail a query in hand: release it once.
      let released = false;
      const release = (err?: Error) => {
        if (released) return;
        released = true;
        client.release(err);
      };
      const listener = { client, release };
      client.on('notification', () => this.#wakeUp());
      client.on('error', (err) => {
        this.#logger.warn({ err }, 'outbox listener connection failed; polling until it is back');
        if (this.#listener === listener) this.#listener = undefined;
        release(err);
      });
      try {
        await client.query(`listen ${OUTBOX_CHANNEL}`);
      } catch (err) {
        release(err as Error);
        throw err;
      }
      this.#listener = listener;
    } catch (err) {
      this.#logger.warn({ err }, 'outbox listener unavailable; polling');
    }
  }

  async #unlisten(): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener === undefined) return;
    try {
      await listener.client.query(`unlisten ${OUTBOX_CHANNEL}`);
      listener.release();
    } catch (err) {
      listener.release(err as Error);
    }
  }

  #wakeUp(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Waits `ms`, or less if `wakeable` and something is published meanwhile. */
  async #sleep(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.#woken) {
      this.#woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        if (wakeable || !this.#running) done();
      };
    });
    this.#wake = undefined;
    this.#woken = false;
  }
}

function bigintLiteral(value: string): string {
  if (!/^[0-9]{1,19}$/.test(value)) throw new Error(`events: unexpected outbox seq ${JSON.stringify(value)}`);
  return value;
}

function traceparentOf(body: string): string | undefined {
  try {
    const { traceparent } = JSON.parse(body) as { traceparent?: unknown };
    return typeof traceparent === 'string' ? traceparent : undefined;
  } catch {
    return undefined;
  }
}
