// events-throughput: events end to end, from the producer's COMMIT to the consumer's handler
// transaction committed, over each transport, against the plain INSERT+COMMIT rate of the same
// PostgreSQL measured in the same run.
//
// Per transport: a producer "service" (this process: its writes, its Events with the outbox
// relay) and a consumer "service" (a child process, consumer.ts: one consumer group with the
// production defaults), each with a fresh database of its own, and a fresh bus database for the
// postgres transport. Phases: warm-up (discarded), a latency run at a steady rate (open loop),
// the INSERT+COMMIT baseline, and a throughput run (closed loop, as fast as the producers can).
// Every event must be handled exactly once, or the run fails.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createPool, migrate } from '@shopnow/chassis';
import { EVENTS_MIGRATIONS, Events } from '@shopnow/events';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import type pg from 'pg';
import { type Logger, pino } from 'pino';
import { ConsumerProcess } from './events/consumer-process.ts';
import {
  benchCatalog,
  CONSUMER_DDL,
  NO_SERVICE_MIGRATIONS,
  type Phase,
  PRODUCER_DDL,
} from './events/contract.ts';
import { flatOut, insertOnly, paced, placeOrder } from './events/producer.ts';
import { type Distribution, distribution, minMax, perSecond, round1, round2 } from './events/stats.ts';
import { type BusSpec, createTransport, type TransportKind } from './events/transports.ts';
import { machine } from './report.ts';
import { ensurePostgres } from './servers.ts';
import { Teardown } from './teardown.ts';

const runFile = promisify(execFile);

/** The target: p99 commit-to-handled under 100 ms at 500 events/s, postgres transport. */
export const EVENTS_TARGET = { transport: 'postgres', rate: 500, p99Ms: 100 } as const;
/** The offered rate counts as reached when at least this share of it was committed. */
const RATE_TOLERANCE = 0.95;
/** No progress for this long while events are outstanding: they are lost; the run fails. */
const STALL_MS = 20_000;
/** Events still unhandled this long after the last commit of a phase: the consumer cannot keep up; the run fails. */
const DRAIN_LIMIT_MS = 60_000;
/** Waited after the last expected event, so that a late duplicate would be seen. */
const SETTLE_MS = 300;

export interface EventsRunOptions {
  /** Events per second offered in the latency run. */
  rate: number;
  /** Seconds of the latency run. */
  durationSec: number;
  /** Seconds at `rate` before it, discarded (JIT, pools, queues). 0 for none. */
  warmupSec: number;
  /** Seconds of the throughput run, and of the INSERT+COMMIT baseline. */
  burstSec: number;
  /** Concurrent producer clients in the throughput run and the baseline (the producer's pool). */
  producers: number;
  /** The consumer group's deliveries in flight (EVENTS_CONCURRENCY). */
  concurrency: number;
  /** Where the logs of this run go. */
  runDir: string;
  log?: (line: string) => void;
  /** The RabbitMQ broker; default SHOPNOW_TEST_AMQP_URL, else AMQP_URL; none: rabbitmq is skipped. */
  amqpUrl?: string | undefined;
}

export interface Skipped {
  skipped: true;
  reason: string;
}

export interface LatencyRun {
  offeredRate: number;
  durationSec: number;
  events: number;
  /** Commits per second the producer achieved, and handled per second (first to last). */
  committedPerSec: number;
  handledPerSec: number;
  /** Producer COMMIT done → consumer's handler transaction committed. */
  latencyMs: Distribution;
  /** When the transaction was due → its COMMIT done: how well the producer kept the rate. */
  producerCommitMs: Distribution;
}

export interface ThroughputRun {
  durationSec: number;
  producers: number;
  events: number;
  /** Events committed per second by the producers while they ran. */
  committedPerSec: number;
  /** Events handled per second end to end: events ÷ (last handled − first committed). */
  endToEndPerSec: number;
  /** Last handled − last committed: the backlog left when the producers stopped. */
  drainMs: number;
  latencyMs: Distribution;
}

export interface Baseline {
  /** Each transaction: BEGIN; the producer's business INSERT; COMMIT, from `clients` concurrent clients. */
  clients: number;
  durationSec: number;
  transactions: number;
  txPerSec: number;
}

export interface TransportRun {
  skipped: false;
  transport: TransportKind;
  /** The consumer process's clock minus the harness's, from the fastest IPC round trip. */
  clock: { offsetMs: number; roundTripMs: number };
  latency: LatencyRun;
  baseline: Baseline;
  throughput: ThroughputRun;
  /** throughput.endToEndPerSec ÷ baseline.txPerSec. */
  ratio: number;
  /** Every event of every phase (warm-up included) handled exactly once: checked, or the run fails. */
  exactlyOnce: { events: number; handled: number; lost: 0; doubled: 0; deadLetters: 0 };
}

export interface EventsThroughputResult {
  benchmark: 'events-throughput';
  startedAt: string;
  machine: ReturnType<typeof machine>;
  postgres: {
    version: string;
    fsync: string;
    synchronousCommit: string;
    server: 'shared test server' | 'embedded';
  };
  settings: {
    rate: number;
    durationSec: number;
    warmupSec: number;
    burstSec: number;
    producers: number;
    consumerConcurrency: number;
    consumer: 'child process';
    relay: 'in the producer process, default options';
  };
  transports: { postgres: TransportRun; rabbitmq: TransportRun | Skipped };
  /** The same BEGIN/INSERT/COMMIT from pgbench (a C client), for reference; the ratio uses `baseline`. */
  pgbench: (Baseline & { skipped: false }) | Skipped;
  target: { transport: 'postgres'; rate: number; p99Ms: number };
  pass: boolean;
}

export async function eventsThroughput(opts: EventsRunOptions): Promise<EventsThroughputResult> {
  const log = opts.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const teardown = new Teardown();
  try {
    const server = await ensurePostgres(teardown, log);
    const postgres = await serverInfo(server);

    log('postgres transport: bus database');
    const bus = await freshDatabase(teardown);
    const pgRun = await runTransport({ kind: 'postgres', url: bus.url }, opts, log);

    let pgbench: EventsThroughputResult['pgbench'];
    try {
      pgbench = await pgbenchBaseline(opts, log);
    } catch (err) {
      pgbench = { skipped: true, reason: err instanceof Error ? err.message : String(err) };
      log(`pgbench: skipped (${pgbench.reason})`);
    }

    const amqpUrl = opts.amqpUrl ?? process.env.SHOPNOW_TEST_AMQP_URL ?? process.env.AMQP_URL;
    const rabbitmq: TransportRun | Skipped = amqpUrl
      ? await runTransport({ kind: 'rabbitmq', url: amqpUrl }, opts, log)
      : { skipped: true, reason: 'no RabbitMQ broker: neither SHOPNOW_TEST_AMQP_URL nor AMQP_URL is set' };
    if (rabbitmq.skipped) log(`rabbitmq: skipped (${rabbitmq.reason})`);

    const latency = pgRun.latency;
    const pass =
      latency.latencyMs.p99 < EVENTS_TARGET.p99Ms &&
      latency.committedPerSec >= EVENTS_TARGET.rate * RATE_TOLERANCE;
    return {
      benchmark: 'events-throughput',
      startedAt,
      machine: machine(),
      postgres,
      settings: {
        rate: opts.rate,
        durationSec: opts.durationSec,
        warmupSec: opts.warmupSec,
        burstSec: opts.burstSec,
        producers: opts.producers,
        consumerConcurrency: opts.concurrency,
        consumer: 'child process',
        relay: 'in the producer process, default options',
      },
      transports: { postgres: pgRun, rabbitmq },
      pgbench,
      target: { ...EVENTS_TARGET },
      pass,
    };
  } finally {
    await teardown.run();
  }
}

/** `events-throughput: postgres p99 23 ms at 500/s (target < 100 ms) PASS; max 1,850 ev/s = 0.41 × …` */
export function eventsSummaryLine(r: EventsThroughputResult): string {
  const pgRun = r.transports.postgres;
  const parts = [
    `postgres p99 ${ms(pgRun.latency.latencyMs.p99)} ms at ${count(r.settings.rate)}/s` +
      ` (target < ${r.target.p99Ms} ms at ${r.target.rate}/s) ${r.pass ? 'PASS' : 'FAIL'}`,
    `max ${capacity(pgRun)}`,
  ];
  const rabbit = r.transports.rabbitmq;
  parts.push(
    rabbit.skipped
      ? `rabbitmq skipped (${rabbit.reason})`
      : `rabbitmq p99 ${ms(rabbit.latency.latencyMs.p99)} ms at ${count(r.settings.rate)}/s, max ${capacity(rabbit)}`,
  );
  return `${r.benchmark}: ${parts.join('; ')}`;
}

const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const ms = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 1 : 0 });
const capacity = (run: TransportRun) =>
  `${count(run.throughput.endToEndPerSec)} ev/s = ${run.ratio.toFixed(2)} × INSERT+COMMIT ${count(run.baseline.txPerSec)} tx/s`;

async function serverInfo(
  server: EventsThroughputResult['postgres']['server'],
): Promise<EventsThroughputResult['postgres']> {
  const db = await testDatabase();
  try {
    const show = async (name: string) =>
      (await db.pool.query<Record<string, string>>(`show ${name}`)).rows[0]?.[name] ?? '';
    return {
      version: await show('server_version'),
      fsync: await show('fsync'),
      synchronousCommit: await show('synchronous_commit'),
      server,
    };
  } finally {
    await db.drop();
  }
}

async function freshDatabase(teardown: Teardown): Promise<TestDatabase> {
  const db = await testDatabase();
  teardown.add(() => db.drop());
  return db;
}

/** A service database: the chassis and events tables, and the benchmark's own table. */
async function serviceDatabase(teardown: Teardown, service: string, ddl: string): Promise<TestDatabase> {
  const db = await freshDatabase(teardown);
  await migrate(db.pool, { service, dir: NO_SERVICE_MIGRATIONS, packages: [EVENTS_MIGRATIONS] });
  await db.pool.query(ddl);
  return db;
}

function fileLogger(file: string, service: string): Logger {
  return pino(
    { level: process.env.LOG_LEVEL ?? 'warn', base: { service } },
    pino.destination({ dest: file, sync: true }),
  );
}

async function runTransport(
  bus: BusSpec,
  opts: EventsRunOptions,
  log: (line: string) => void,
): Promise<TransportRun> {
  const kind = bus.kind;
  const say = (line: string) => log(`${kind}: ${line}`);
  const teardown = new Teardown();
  try {
    const producerDb = await serviceDatabase(teardown, 'bench-producer', PRODUCER_DDL);
    const consumerDb = await serviceDatabase(teardown, 'bench-consumer', CONSUMER_DDL);
    const group = `bench-consumer.orders-${randomBytes(4).toString('hex')}`;

    say('starting the consumer process');
    const consumer = await ConsumerProcess.start(
      { databaseUrl: consumerDb.url, bus, group, concurrency: opts.concurrency },
      join(opts.runDir, `consumer-${kind}.log`),
    );
    teardown.add(() => consumer.kill());

    const logger = fileLogger(join(opts.runDir, `producer-${kind}.log`), 'bench-producer');
    // The producers' clients, plus the relay's two (its LISTEN connection and its batch).
    const pool = createPool({
      connectionString: producerDb.url,
      max: opts.producers + 2,
      applicationName: 'bench-producer',
      logger,
    });
    teardown.add(() => pool.end());
    const events = new Events({
      service: 'bench-producer',
      db: pool,
      transport: createTransport(bus, logger),
      catalog: benchCatalog(),
      logger,
    });
    await events.start();
    teardown.add(() => events.stop());
    const clock = await consumer.clockOffsetMs();
    const handledAt = (consumerTime: number) => consumerTime - clock.offsetMs;
    const order = (phase: Phase) => (n: number) => placeOrder(pool, events, phase, n);

    /** Waits until every event of `phase` is handled, checks each exactly once, returns handled times. */
    const handled = async (phase: Phase, expected: number): Promise<number[]> => {
      await drain(consumer, phase, expected);
      const report = await consumer.report(phase);
      const times: number[] = new Array(expected);
      for (const [n, at] of report.times) times[n] = handledAt(at);
      await verifyExactlyOnce(consumerDb.pool, phase, expected, report);
      return times;
    };

    let total = 0;
    if (opts.warmupSec > 0) {
      say(`warm-up: ${opts.warmupSec} s at ${opts.rate}/s`);
      const warm = await paced(opts.rate, opts.warmupSec, order('warmup'));
      await handled('warmup', warm.committed.length);
      total += warm.committed.length;
    }

    say(`latency run: ${opts.durationSec} s at ${opts.rate}/s`);
    const steady = await paced(opts.rate, opts.durationSec, order('latency'));
    const steadyHandled = await handled('latency', steady.committed.length);
    total += steady.committed.length;
    const latency = latencyRun(opts, steady.scheduled, steady.committed, steadyHandled);
    say(
      `latency run: p50 ${latency.latencyMs.p50} ms, p99 ${latency.latencyMs.p99} ms, max ${latency.latencyMs.max} ms`,
    );

    say(`baseline: INSERT+COMMIT from ${opts.producers} clients for ${opts.burstSec} s`);
    const plain = await flatOut(opts.producers, opts.burstSec, (n) => insertOnly(pool, n));
    const baseline: Baseline = {
      clients: opts.producers,
      durationSec: opts.burstSec,
      transactions: plain.committed.length,
      txPerSec: perSecond(plain.committed.length, plain.startedAt, minMax(plain.committed).max),
    };
    say(`baseline: ${baseline.txPerSec} tx/s`);

    say(`throughput run: ${opts.producers} producers for ${opts.burstSec} s`);
    const burst = await flatOut(opts.producers, opts.burstSec, order('throughput'));
    const burstHandled = await handled('throughput', burst.committed.length);
    total += burst.committed.length;
    const throughput = throughputRun(opts, burst.startedAt, burst.committed, burstHandled);
    say(
      `throughput run: ${throughput.endToEndPerSec} events/s end to end (${throughput.committedPerSec}/s committed)`,
    );

    await verifyRelayed(producerDb.pool, consumerDb.pool, total);
    await consumer.stop();
    await events.stop();
    return {
      skipped: false,
      transport: kind,
      clock: { offsetMs: round2(clock.offsetMs), roundTripMs: round2(clock.roundTripMs) },
      latency,
      baseline,
      throughput,
      ratio: round2(throughput.endToEndPerSec / baseline.txPerSec),
      exactlyOnce: { events: total, handled: total, lost: 0, doubled: 0, deadLetters: 0 },
    };
  } finally {
    await teardown.run();
  }
}

function latencyRun(
  opts: EventsRunOptions,
  scheduled: number[],
  committed: number[],
  handled: number[],
): LatencyRun {
  const commits = minMax(committed);
  const handlings = minMax(handled);
  return {
    offeredRate: opts.rate,
    durationSec: opts.durationSec,
    events: committed.length,
    // n events at a steady rate span n − 1 intervals.
    committedPerSec: perSecond(committed.length - 1, commits.min, commits.max),
    handledPerSec: perSecond(handled.length - 1, handlings.min, handlings.max),
    latencyMs: distribution(handled.map((at, n) => at - (committed[n] ?? 0))),
    producerCommitMs: distribution(committed.map((at, n) => at - (scheduled[n] ?? 0))),
  };
}

function throughputRun(
  opts: EventsRunOptions,
  startedAt: number,
  committed: number[],
  handled: number[],
): ThroughputRun {
  const commits = minMax(committed);
  const handlings = minMax(handled);
  if (process.env.BENCH_DUMP) {
    writeFileSync(
      `${process.env.BENCH_DUMP}.${opts.durationSec}.${committed.length}`,
      committed
        .map((at, n) => `${(at - commits.min).toFixed(1)} ${((handled[n] ?? 0) - at).toFixed(1)}`)
        .join('\n'),
    );
  }
  return {
    durationSec: opts.burstSec,
    producers: opts.producers,
    events: committed.length,
    committedPerSec: perSecond(committed.length, startedAt, commits.max),
    endToEndPerSec: perSecond(committed.length, commits.min, handlings.max),
    drainMs: round1(handlings.max - commits.max),
    latencyMs: distribution(handled.map((at, n) => at - (committed[n] ?? 0))),
  };
}

/** Until the consumer has handled `expected` events of `phase`; fails when it stops making progress. */
async function drain(consumer: ConsumerProcess, phase: Phase, expected: number): Promise<void> {
  const started = Date.now();
  let first: number | undefined;
  let seen = -1;
  let progressAt = started;
  for (;;) {
    const { handled, duplicates } = await consumer.progress(phase);
    if (duplicates > 0) throw new Error(`${phase}: ${duplicates} events handled twice`);
    if (handled >= expected) break;
    first ??= handled;
    const now = Date.now();
    if (now - started > DRAIN_LIMIT_MS) {
      const rate = Math.round(((handled - first) * 1000) / (now - started));
      throw new Error(
        `${phase}: ${expected - handled} of ${expected} events still not handled ${DRAIN_LIMIT_MS / 1000} s after ` +
          `the last commit (the consumer handled ${rate} events/s meanwhile); giving up`,
      );
    }
    if (handled !== seen) {
      seen = handled;
      progressAt = now;
    } else if (now - progressAt > STALL_MS) {
      throw new Error(
        `${phase}: ${expected - handled} of ${expected} events still not handled ${STALL_MS / 1000} s after the last one`,
      );
    }
    await sleep(20);
  }
  await sleep(SETTLE_MS);
}

/** Each event of the phase handled once: by the consumer's own count and by its database rows. */
async function verifyExactlyOnce(
  consumerDb: pg.Pool,
  phase: Phase,
  expected: number,
  report: { times: Array<[number, number]>; duplicates: number },
): Promise<void> {
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const [n] of report.times) {
    if (!Number.isInteger(n) || n < 0 || n >= expected) problems.push(`unexpected event n=${n}`);
    seen.add(n);
  }
  if (report.duplicates > 0) problems.push(`${report.duplicates} handled twice`);
  if (seen.size < expected) problems.push(`${expected - seen.size} of ${expected} never handled`);
  const { rows } = await consumerDb.query<{ total: number; distinct: number }>(
    'select count(*)::int as total, count(distinct n)::int as distinct from bench_handled where phase = $1',
    [phase],
  );
  const row = rows[0] ?? { total: 0, distinct: 0 };
  if (row.total !== expected || row.distinct !== expected) {
    problems.push(
      `the handler's table has ${row.total} rows for ${row.distinct} events, expected ${expected} once each`,
    );
  }
  if (problems.length > 0) throw new Error(`${phase}: not exactly once: ${problems.slice(0, 5).join('; ')}`);
}

/** Nothing left in the producer's outbox, nothing dead-lettered, one inbox entry per event. */
async function verifyRelayed(producerDb: pg.Pool, consumerDb: pg.Pool, total: number): Promise<void> {
  const outbox = await producerDb.query<{ pending: number; rows: number }>(
    'select count(*) filter (where sent_at is null)::int as pending, count(*)::int as rows from outbox',
  );
  const inbox = await consumerDb.query<{ n: number }>('select count(*)::int as n from inbox');
  const dead = await consumerDb.query<{ n: number }>('select count(*)::int as n from event_dead_letters');
  const problems: string[] = [];
  if (outbox.rows[0]?.rows !== total)
    problems.push(`${outbox.rows[0]?.rows} outbox rows for ${total} events`);
  if (outbox.rows[0]?.pending !== 0) problems.push(`${outbox.rows[0]?.pending} outbox rows never relayed`);
  if (inbox.rows[0]?.n !== total) problems.push(`${inbox.rows[0]?.n} inbox entries for ${total} events`);
  if (dead.rows[0]?.n !== 0) problems.push(`${dead.rows[0]?.n} dead letters`);
  if (problems.length > 0) throw new Error(`not exactly once: ${problems.join('; ')}`);
}

/** The same transaction as the baseline from pgbench, on a database of its own, when pgbench is installed. */
async function pgbenchBaseline(
  opts: EventsRunOptions,
  log: (line: string) => void,
): Promise<EventsThroughputResult['pgbench']> {
  const teardown = new Teardown();
  try {
    const db = await freshDatabase(teardown);
    await db.pool.query(PRODUCER_DDL);
    const script = join(opts.runDir, 'pgbench-insert-commit.sql');
    writeFileSync(
      script,
      "BEGIN;\ninsert into bench_orders (phase, n, amount_minor) values ('pgbench', 0, 100) returning id;\nCOMMIT;\n",
    );
    log(`pgbench: INSERT+COMMIT from ${opts.producers} clients for ${opts.burstSec} s (reference)`);
    const threads = Math.max(1, Math.min(opts.producers, availableParallelism()));
    const args = ['-n', '-c', String(opts.producers), '-j', String(threads), '-T', String(opts.burstSec)];
    const { stdout } = await runFile('pgbench', [...args, '-f', script, db.url]).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') throw new Error('pgbench is not installed');
        throw new Error(
          `pgbench failed: ${String((err as { stderr?: unknown }).stderr ?? err.message).trim()}`,
        );
      },
    );
    const tps = /tps = ([\d.]+)/.exec(stdout)?.[1];
    const transactions = /number of transactions actually processed: (\d+)/.exec(stdout)?.[1];
    if (tps === undefined || transactions === undefined)
      throw new Error(`pgbench: unexpected output: ${stdout}`);
    return {
      skipped: false,
      clients: opts.producers,
      durationSec: opts.burstSec,
      transactions: Number(transactions),
      txPerSec: Math.round(Number(tps)),
    };
  } finally {
    await teardown.run();
  }
}
