// Acceptance: 10,000 events published while consumers are killed with SIGKILL at random and
// restarted (and, over RabbitMQ, the broker is restarted once): every event takes effect exactly
// once in every consumer group, the outbox ends empty, and nothing stays in flight.
//
// Two consumer groups, each with its own service database and two instances (child processes,
// chaos/consumer.ts) whose handler inserts a row per event into `applied`, a table with no unique
// constraint: only the inbox stands between a redelivery and a second row. The producer publishes
// in transactions from this process; its relay runs in a child process too and is SIGKILLed once.
// A chaos loop SIGKILLs a random running consumer every 1-3 s and starts a replacement, from the
// first batch until the last one is committed (and the broker is back); then the test waits until
// every event has been applied.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withTransaction } from '@shopnow/chassis';
import type { TestDatabase } from '@shopnow/testkit';
import { rabbitMqInstalled } from '@shopnow/testkit';
import { pino } from 'pino';
import { Events } from '../src/events.ts';
import type { Transport } from '../src/transport.ts';
import { type ChaosBus, postgresBus, rabbitMqBus } from './chaos/bus.ts';
import {
  appliedProgress,
  chaosDatabase,
  compareApplied,
  deadLetterCount,
  describeReport,
  pendingOutbox,
} from './chaos/checks.ts';
import { ChaosEventV1, chaosCatalog } from './chaos/contract.ts';
import { Fleet } from './chaos/fleet.ts';

const TOTAL = 10_000;
const PER_TRANSACTION = 50;
const SUBJECTS = 64;
/** Pause between publishing transactions, so killing overlaps publishing (~20 s in all). */
const PUBLISH_PAUSE_MS: [number, number] = [40, 120];
/** Between two kills. */
const KILL_INTERVAL_MS: [number, number] = [1000, 3000];
const INSTANCES_PER_GROUP = 2;
const CONCURRENCY = 8;
/** The relay is SIGKILLed after this share of the transactions, the broker restarted after this one. */
const RELAY_KILL_AT = 0.3;
const BROKER_RESTART_AT = 0.5;
/** From the first publish until every group has applied every event. */
const APPLY_TIMEOUT_MS = 180_000;
/** Then until nothing is left on the bus (pg-boss gives a SIGKILLed worker's jobs back within ~17 s). */
const SETTLE_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 300_000;
/** Fewer kills than this while publishing would make the run prove little. */
const MIN_KILLS = 8;
const MAX_WAIT_FOR_KILLS_MS = 30_000;

const GROUPS = [
  { name: 'chaos.a', slot: 'a' },
  { name: 'chaos.b', slot: 'b' },
] as const;

const rabbitMqSkip =
  !rabbitMqInstalled() && !process.env.CI
    ? 'rabbitmq-server is not installed (apt-get install rabbitmq-server); with CI set this test runs and fails instead'
    : false;

describe('chaos: 10,000 events while consumers are SIGKILLed at random', () => {
  it('postgres: every event takes effect exactly once in every group', { timeout: TEST_TIMEOUT_MS }, (t) =>
    runChaos(t, postgresBus),
  );
  it(
    'rabbitmq (the broker restarted once): every event takes effect exactly once in every group',
    { timeout: TEST_TIMEOUT_MS, skip: rabbitMqSkip },
    (t) => runChaos(t, rabbitMqBus),
  );
});

async function runChaos(t: TestContext, openBus: () => Promise<ChaosBus>): Promise<void> {
  const started = Date.now();
  const timeline: string[] = [];
  const note = (what: string) =>
    timeline.push(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${what}`);
  const fleet = new Fleet();
  const databases: TestDatabase[] = [];
  let bus: ChaosBus | undefined;
  let chaos: Chaos | undefined;
  const background: Promise<void>[] = [];
  const diagnosis = () =>
    `\n--- timeline\n${timeline.join('\n')}\n--- last log lines of the child processes\n${fleet.logTail(80)}`;

  try {
    bus = await openBus();
    const [producerDb, ...groupDbs] = await Promise.all(
      [undefined, ...GROUPS].map(async () => {
        const db = await chaosDatabase();
        databases.push(db);
        return db;
      }),
    );
    const groups = GROUPS.map((group, i) => ({ ...group, db: groupDbs[i] as TestDatabase }));
    const producer = producerDb as TestDatabase;
    note(`${bus.spec.kind} bus and databases ready`);

    fleet.define('relay', {
      databaseUrl: producer.url,
      bus: bus.spec,
      groups: [],
      concurrency: 1,
      relay: true,
    });
    const consumerSlots: string[] = [];
    for (const group of groups) {
      for (let i = 1; i <= INSTANCES_PER_GROUP; i++) {
        const slot = `${group.slot}.${i}`;
        consumerSlots.push(slot);
        fleet.define(slot, {
          databaseUrl: group.db.url,
          bus: bus.spec,
          groups: [group.name],
          concurrency: CONCURRENCY,
          relay: false,
        });
      }
    }
    // Every group's queue exists before the first publish (a group gets what is published after).
    await Promise.all(['relay', ...consumerSlots].map((slot) => fleet.start(slot)));
    note(`relay and ${consumerSlots.length} consumers ready`);

    // The producer service: it only writes to its outbox; the relay is the child process.
    const events = new Events({
      service: 'chaos-producer',
      db: producer.pool,
      transport: OUTBOX_ONLY,
      catalog: chaosCatalog(),
      logger: pino({ level: 'silent' }),
      relayEnabled: false,
    });

    const publishStarted = Date.now();
    chaos = startChaos(fleet, consumerSlots, note);
    const published = new Set<string>();
    const transactions = TOTAL / PER_TRANSACTION;
    for (let tx = 0; tx < transactions; tx++) {
      // The kills come at random intervals; the last transaction waits until enough have come, so
      // a run with long intervals still kills MIN_KILLS times while publishing.
      if (tx === transactions - 1) await untilKills(chaos, MIN_KILLS, MAX_WAIT_FOR_KILLS_MS);
      const ids = await withTransaction(producer.pool, async (client) => {
        const written: string[] = [];
        for (let k = 0; k < PER_TRANSACTION; k++) {
          const n = tx * PER_TRANSACTION + k;
          const envelope = await events.publish(client, ChaosEventV1, {
            subject: `s-${n % SUBJECTS}`,
            data: { n },
          });
          written.push(envelope.id);
        }
        return written;
      });
      for (const id of ids) published.add(id);
      if (tx === Math.floor(transactions * RELAY_KILL_AT)) background.push(killRelay(fleet, note));
      if (tx === Math.floor(transactions * BROKER_RESTART_AT) && bus.restart) {
        background.push(restartBroker(bus, note));
      }
      await sleep(between(PUBLISH_PAUSE_MS));
    }
    note(`published ${published.size} events in ${transactions} transactions; ${chaos.kills} kills so far`);
    const killsWhilePublishing = chaos.kills;
    await Promise.all(background);
    await chaos.stop();
    note(`chaos stopped: ${chaos.kills} consumer kills`);

    // Until every group has applied every event.
    let last = '';
    let lastNoted = 0;
    const deadline = publishStarted + APPLY_TIMEOUT_MS;
    for (;;) {
      const progress = await Promise.all(groups.map((group) => appliedProgress(group.db, group.name)));
      const outbox = await pendingOutbox(producer);
      const line = `${groups.map((g, i) => `${g.name} ${progress[i]?.distinct}/${TOTAL}`).join(', ')}, outbox pending ${outbox}`;
      if (progress.every((p) => p.distinct >= TOTAL) && outbox === 0) {
        note(`all applied: ${line}`);
        break;
      }
      if (Date.now() - lastNoted > 5000 && line !== last) {
        note(line);
        last = line;
        lastNoted = Date.now();
      }
      if (Date.now() > deadline || fleet.crashes.length > 0 || chaos.failure) {
        assert.fail(
          `not every event was applied (${line})${fleet.crashes.length ? `; crashed: ${fleet.crashes.join('; ')}` : ''}` +
            `${chaos.failure ? `; ${chaos.failure.message}` : ''}${diagnosis()}`,
        );
      }
      await sleep(250);
    }

    // Nothing left on the bus: deliveries a killed instance held come back and are acknowledged.
    const groupNames = groups.map((group) => group.name);
    let unfinished = await bus.unfinished(groupNames);
    const settleDeadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (unfinished.length > 0 && Date.now() < settleDeadline) {
      await sleep(250);
      unfinished = await bus.unfinished(groupNames);
    }
    note(`bus settled: ${unfinished.length === 0 ? 'nothing in flight' : unfinished.join(', ')}`);
    const stops = await fleet.stopAll();
    note(`fleet stopped: ${stops.join(', ')}`);

    // The verdict, with the processes stopped (what a consumer held is back on its queue now).
    const reports = await Promise.all(groups.map((group) => compareApplied(group.db, group.name, published)));
    const deadLetters = await Promise.all(groups.map((group) => deadLetterCount(group.db)));
    unfinished = await bus.unfinished(groupNames);
    const outboxPending = await pendingOutbox(producer);
    const summary = [
      ...reports.map((report, i) => describeReport(groups[i]?.name ?? '?', report, TOTAL)),
      `inbox swallowed redeliveries: ${groups.map((g) => `${g.name} ${fleet.duplicates.get(g.name) ?? 0}`).join(', ')}`,
      `dead letters: ${deadLetters.join(', ')}; outbox pending: ${outboxPending}; in flight: ${unfinished.join(', ') || 'none'}`,
    ].join('\n');
    const failure = `${summary}${diagnosis()}`;

    assert.equal(published.size, TOTAL, failure);
    for (const report of reports) {
      assert.equal(report.rows, TOTAL, failure);
      assert.equal(report.distinct, TOTAL, failure);
      assert.deepEqual(
        [report.missing.length, report.duplicates.length, report.unexpected.length],
        [0, 0, 0],
        failure,
      );
    }
    assert.deepEqual(deadLetters, [0, 0], failure);
    assert.equal(outboxPending, 0, failure);
    assert.deepEqual(unfinished, [], failure);
    assert.deepEqual(fleet.crashes, [], failure);
    assert.ok(
      killsWhilePublishing >= MIN_KILLS,
      `only ${killsWhilePublishing} kills while publishing${diagnosis()}`,
    );
    note('verdict: exactly once in every group');
    t.diagnostic(`${summary}\n${timeline.join('\n')}`);
  } finally {
    await chaos?.stop().catch(() => {});
    await Promise.allSettled(background);
    await fleet.killAll();
    await bus?.close().catch(() => {});
    await Promise.allSettled(databases.map((db) => db.drop()));
  }
}

async function untilKills(chaos: Chaos, kills: number, maxWaitMs: number): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  while (chaos.kills < kills && Date.now() < deadline) await sleep(100);
}

interface Chaos {
  readonly kills: number;
  /** A replacement that could not be started (after its retries). */
  readonly failure: Error | undefined;
  /** Stops killing and waits for the replacements being started. */
  stop(): Promise<void>;
}

/** Attempts to start a replacement (a start can fail while the broker restarts: started again, as an orchestrator would). */
const START_ATTEMPTS = 5;

function startChaos(fleet: Fleet, slots: readonly string[], note: (what: string) => void): Chaos {
  const controller = new AbortController();
  const replacements: Promise<void>[] = [];
  let kills = 0;
  let failure: Error | undefined;
  const replace = async (slot: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const instance = await fleet.start(slot);
        note(`${instance.name} ready`);
        return;
      } catch (err) {
        if (attempt >= START_ATTEMPTS) {
          failure ??= err as Error;
          return;
        }
        note(
          `${slot}: replacement did not start (attempt ${attempt}): ${(err as Error).message.split('\n')[0]}`,
        );
        await sleep(1000);
      }
    }
  };
  const loop = (async () => {
    while (!controller.signal.aborted) {
      try {
        await sleep(between(KILL_INTERVAL_MS), undefined, { signal: controller.signal });
      } catch {
        break;
      }
      const candidates = fleet.readyInstances().filter((instance) => slots.includes(instance.slot));
      const victim = candidates[Math.floor(Math.random() * candidates.length)];
      if (victim === undefined) continue;
      fleet.kill(victim);
      kills++;
      note(`SIGKILL ${victim.name}`);
      replacements.push(victim.exited.then(() => replace(victim.slot)));
    }
  })();
  return {
    get kills() {
      return kills;
    },
    get failure() {
      return failure;
    },
    async stop() {
      controller.abort();
      await loop;
      await Promise.all(replacements);
    },
  };
}

async function killRelay(fleet: Fleet, note: (what: string) => void): Promise<void> {
  const relay = fleet.current('relay');
  if (relay === undefined) return;
  fleet.kill(relay);
  note(`SIGKILL ${relay.name} (the producer's relay)`);
  await relay.exited;
  const next = await fleet.start('relay');
  note(`${next.name} ready`);
}

async function restartBroker(bus: ChaosBus, note: (what: string) => void): Promise<void> {
  note('broker restarting');
  await bus.restart?.();
  note('broker back');
}

function between([low, high]: [number, number]): number {
  return low + Math.random() * (high - low);
}

/** The producer writes to its outbox only; its relay (with the real transport) is a child process. */
const OUTBOX_ONLY: Transport = {
  kind: 'outbox-only',
  start: () => Promise.reject(new Error('the producer in this test only writes to its outbox')),
  publish: () => Promise.reject(new Error('the producer in this test only writes to its outbox')),
  consume: () => Promise.reject(new Error('the producer in this test only writes to its outbox')),
  sendToGroup: () => Promise.reject(new Error('the producer in this test only writes to its outbox')),
  declareGroup: () => Promise.reject(new Error('the producer in this test only writes to its outbox')),
  check: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
