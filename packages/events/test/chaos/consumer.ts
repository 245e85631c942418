// One instance of a consuming service in the chaos test, run as a process of its own so the test
// can SIGKILL it: `Events` on the service's database with the configured consumer groups (each
// handler inserts an `applied` row in the inbox transaction), and optionally the outbox relay.
//
// Configuration: CHAOS_CONFIG (JSON, see ChaosProcessConfig). Prints `ready` on stdout once every
// group consumes (and the relay runs), and `dup <group> <id>` for each delivery the inbox swallowed.
// Logs (pino, LOG_LEVEL, default warn) go to stderr. SIGTERM stops gracefully; it also exits when
// the test process goes away (the IPC channel closes).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createPool } from '@shopnow/chassis';
import { pino } from 'pino';
import { Events } from '../../src/events.ts';
import { consume } from '../../src/inbox/handlers.ts';
import type { Transport } from '../../src/transport.ts';
import {
  type BusSpec,
  ChaosEventV1,
  type ChaosProcessConfig,
  CONFIG_ENV,
  chaosCatalog,
  DUPLICATE_PREFIX,
  READY_LINE,
} from './contract.ts';

const config = JSON.parse(process.env[CONFIG_ENV] ?? 'null') as ChaosProcessConfig | null;
if (config === null) {
  process.stderr.write(`chaos consumer: ${CONFIG_ENV} is required (run by chaos.test.ts)\n`);
  process.exit(2);
}
// The test process is gone (or lost us): nothing would ever stop this instance.
process.on('disconnect', () => process.exit(3));

const logger = pino(
  { level: process.env.LOG_LEVEL ?? 'warn', base: { instance: config.instance } },
  pino.destination({ fd: 2, sync: true }),
);

async function createTransport(bus: BusSpec): Promise<Transport> {
  if (bus.kind === 'rabbitmq') {
    const { createRabbitMqTransport } = await import('../../src/transports/rabbitmq.ts');
    // A replacement may start while the broker restarts: it waits for it rather than exiting.
    return createRabbitMqTransport({ url: bus.url, logger, connectTimeoutMs: 60_000 });
  }
  const { createPostgresTransport } = await import('../../src/transports/postgres.ts');
  return createPostgresTransport({ connectionString: bus.url, logger });
}

// Set inside the handler's transaction; read when the runtime has settled the delivery.
const handlerRan = new AsyncLocalStorage<{ ran: boolean; id?: string }>();

/** The transport, reporting each delivery acknowledged without its handler running (a duplicate). */
function reportingDuplicates(inner: Transport): Transport {
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
        const slot: { ran: boolean } = { ran: false };
        const settlement = await handlerRan.run(slot, () => handler(delivery));
        if (settlement.outcome === 'ack' && !slot.ran) {
          process.stdout.write(`${DUPLICATE_PREFIX}${options.group} ${eventIdOf(delivery.payload)}\n`);
        }
        return settlement;
      }),
  };
}

function eventIdOf(payload: unknown): string {
  try {
    const text = typeof payload === 'string' ? payload : Buffer.from(payload as Uint8Array).toString('utf8');
    return String((JSON.parse(text) as { id?: unknown }).id);
  } catch {
    return typeof payload === 'object' && payload !== null ? String((payload as { id?: unknown }).id) : '?';
  }
}

const pool = createPool({
  connectionString: config.databaseUrl,
  max: config.concurrency * Math.max(1, config.groups.length) + 2,
  applicationName: `chaos-${config.instance}`,
  logger,
});

const events = new Events({
  service: 'chaos',
  db: pool,
  transport: reportingDuplicates(await createTransport(config.bus)),
  catalog: chaosCatalog(),
  logger,
  concurrency: config.concurrency,
  relayEnabled: config.relay,
  // Quick to resume after the broker comes back, so the test stays short.
  relay: { retryBaseMs: 100, retryMaxMs: 1000 },
});

for (const group of config.groups) {
  events.subscribe(
    consume(ChaosEventV1, group, async (event, tx) => {
      const slot = handlerRan.getStore();
      if (slot) slot.ran = true;
      await tx.query('insert into applied (consumer_group, event_id, n, instance) values ($1, $2, $3, $4)', [
        group,
        event.id,
        event.data.n,
        config.instance,
      ]);
    }),
  );
}

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    try {
      await events.stop();
      await pool.end();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'chaos consumer: stop failed');
      process.exit(1);
    }
  })();
});

try {
  await events.start();
} catch (err) {
  logger.fatal({ err }, 'chaos consumer: cannot start');
  process.exit(1);
}
process.stdout.write(`${READY_LINE}\n`);
