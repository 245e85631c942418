// The consumer service of the events-throughput benchmark, run as a process of its own (as a
// real consuming service is): one consumer group with the production defaults, whose handler
// writes a row in the service's own database in the inbox transaction. It times each event
// when the runtime's delivery handler resolves, which is after that transaction committed,
// and hands the times to the harness over IPC (protocol.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createPool } from '@shopnow/chassis';
import { consume, Events, type Transport } from '@shopnow/events';
import { pino } from 'pino';
import { BenchOrderPlacedV1, benchCatalog, nowMs, type Phase } from './contract.ts';
import type { Answer, ConsumerConfig, Ready, Request } from './protocol.ts';
import { createTransport } from './transports.ts';

const config = JSON.parse(process.env.BENCH_CONSUMER_CONFIG ?? 'null') as ConsumerConfig | null;
if (config === null || typeof process.send !== 'function') {
  console.error('consumer: run by the events-throughput harness (IPC and BENCH_CONSUMER_CONFIG)');
  process.exit(2);
}
const send = (message: Answer | Ready) => process.send?.(message);

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn', base: { service: 'bench-consumer' } });
const pool = createPool({
  connectionString: config.databaseUrl,
  max: config.concurrency + 2,
  applicationName: 'bench-consumer',
  logger,
});

/** Per phase: n → when its handler's transaction committed; and how many events came twice. */
const handled = new Map<Phase, Map<number, number>>();
const duplicates = new Map<Phase, number>();

function record(phase: Phase, n: number, at: number): void {
  let times = handled.get(phase);
  if (times === undefined) {
    times = new Map();
    handled.set(phase, times);
  }
  if (times.has(n)) duplicates.set(phase, (duplicates.get(phase) ?? 0) + 1);
  else times.set(n, at);
}

// Which event the handler applied in this delivery, if it ran: set inside the transaction,
// read once the delivery handler has resolved (the transaction committed).
interface Applied {
  phase?: Phase;
  n?: number;
}
const applied = new AsyncLocalStorage<Applied>();

/** The transport, with every delivery timed when the runtime has settled it. */
function timed(inner: Transport): Transport {
  return {
    kind: inner.kind,
    start: () => inner.start(),
    publish: (messages) => inner.publish(messages),
    sendToGroup: (group, message) => inner.sendToGroup(group, message),
    declareGroup: (group, types) => inner.declareGroup(group, types),
    check: () => inner.check(),
    close: () => inner.close(),
    consume: (options, handler) =>
      inner.consume(options, async (delivery) => {
        const slot: Applied = {};
        const settlement = await applied.run(slot, () => handler(delivery));
        // Acknowledged after the handler ran: its transaction committed (a commit that failed
        // would have been a retry, or a dead letter, which the harness counts as a failure).
        if (settlement.outcome === 'ack' && slot.phase !== undefined && slot.n !== undefined) {
          record(slot.phase, slot.n, nowMs());
        }
        return settlement;
      }),
  };
}

const events = new Events({
  service: 'bench-consumer',
  db: pool,
  transport: timed(createTransport(config.bus, logger)),
  catalog: benchCatalog(),
  logger,
  concurrency: config.concurrency,
  // Nothing is published here; the relay would only poll an empty outbox.
  relayEnabled: false,
});
events.subscribe(
  consume(BenchOrderPlacedV1, config.group, async (event, tx) => {
    await tx.query('insert into bench_handled (phase, n, event_id, order_id) values ($1, $2, $3, $4)', [
      event.data.phase,
      event.data.n,
      event.id,
      event.data.orderId,
    ]);
    const slot = applied.getStore();
    if (slot !== undefined) {
      slot.phase = event.data.phase;
      slot.n = event.data.n;
    }
  }),
);

process.on('message', (request: Request) => {
  answer(request).then(send, (err: unknown) => {
    logger.error({ err }, 'consumer: request failed');
    process.exit(1);
  });
});
// The harness went away: nothing left to report to.
process.on('disconnect', () => process.exit(0));

async function answer(request: Request): Promise<Answer> {
  switch (request.type) {
    case 'clock':
      return { id: request.id, type: 'clock', now: nowMs() };
    case 'progress':
      return {
        id: request.id,
        type: 'progress',
        handled: handled.get(request.phase)?.size ?? 0,
        duplicates: duplicates.get(request.phase) ?? 0,
      };
    case 'report':
      return {
        id: request.id,
        type: 'report',
        times: [...(handled.get(request.phase) ?? new Map<number, number>())],
        duplicates: duplicates.get(request.phase) ?? 0,
      };
    case 'stop':
      await events.stop();
      await pool.end();
      return { id: request.id, type: 'stop' };
  }
}

try {
  await events.start();
} catch (err) {
  logger.error({ err }, 'consumer: cannot start');
  process.exit(1);
}
send({ type: 'ready' });
