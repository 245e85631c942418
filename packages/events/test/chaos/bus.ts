// The bus under chaos: a fresh pg-boss database (postgres) or a private RabbitMQ node that the
// test may restart; and what is still on it (in flight) for the test's consumer groups.
import { startRabbitMq, type TestDatabase, testDatabase } from '@shopnow/testkit';
import { Connection } from 'rabbitmq-client';
import { queueNameForGroup } from '../../src/transports/postgres/queue-name.ts';
import { DELAY_TIERS, delayQueue, groupQueue } from '../../src/transports/rabbitmq/topology.ts';
import { pgBossUnfinished } from './checks.ts';
import type { BusSpec } from './contract.ts';

export interface ChaosBus {
  spec: BusSpec;
  /** Restarts the broker (same data, same port); undefined when the test does not restart it. */
  restart?: () => Promise<void>;
  /**
   * What the groups' queues still hold (`queue state: count`; empty when nothing): pg-boss jobs not
   * completed; RabbitMQ messages waiting in a group queue or one of its delay queues (messages a
   * live consumer holds unacknowledged are not counted; stop the consumers first to see those).
   */
  unfinished(groups: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

export async function postgresBus(): Promise<ChaosBus> {
  const db: TestDatabase = await testDatabase();
  return {
    spec: { kind: 'postgres', url: db.url },
    unfinished: (groups) => pgBossUnfinished(db.url, groups.map(queueNameForGroup)),
    close: () => db.drop(),
  };
}

// The transport's default prefix (the consumers create their transport with the defaults).
const PREFIX = 'shopnow';

export async function rabbitMqBus(): Promise<ChaosBus> {
  const broker = await startRabbitMq();
  return {
    spec: { kind: 'rabbitmq', url: broker.url },
    restart: () => broker.restart(),
    unfinished: (groups) => rabbitMqUnfinished(broker.url, groups),
    close: () => broker.stop(),
  };
}

async function rabbitMqUnfinished(url: string, groups: readonly string[]): Promise<string[]> {
  const connection = new Connection({ url, retryLow: 200, retryHigh: 1000, acquireTimeout: 10_000 });
  connection.on('error', () => {});
  try {
    await connection.onConnect(10_000, true);
    const found: string[] = [];
    for (const group of groups) {
      const queue = groupQueue(PREFIX, group);
      for (const name of [queue, ...DELAY_TIERS.map((tier) => delayQueue(queue, tier))]) {
        const count = await messageCount(connection, name);
        if (count === undefined) found.push(`${name}: missing (the group's queues were never declared)`);
        else if (count > 0) found.push(`${name} ready: ${count}`);
      }
    }
    return found;
  } finally {
    await connection.close().catch(() => {});
  }
}

/** Ready messages in `queue` (a passive declare), or undefined when it does not exist. */
async function messageCount(connection: Connection, queue: string): Promise<number | undefined> {
  const channel = await connection.acquire();
  try {
    const ok = await channel.queueDeclare({ queue, passive: true });
    return ok.messageCount;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'NOT_FOUND') return undefined;
    throw err;
  } finally {
    await channel.close().catch(() => {});
  }
}
