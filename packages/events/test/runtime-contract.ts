// The event runtime's guarantees, run against each transport (runtime-*.test.ts): outbox
// atomicity, delivery after an outage, inbox deduplication, retries, dead letters and replay,
// malformed messages, contracts enforced at publish.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withTransaction } from '@shopnow/chassis';
import { ContractViolation } from '@shopnow/contracts';
import type { TestDatabase } from '@shopnow/testkit';
import { declareConsumerGroups } from '../src/consumer-groups.ts';
import { replayDeadLetter } from '../src/dead-letters/replay.ts';
import { listDeadLetters } from '../src/dead-letters/store.ts';
import { Events, type EventsOptions } from '../src/events.ts';
import { consume, type EventHandler } from '../src/inbox/handlers.ts';
import {
  eventually,
  quietLogger,
  type RuntimeFixture,
  serviceDatabase,
  ThingHappenedV1,
  testCatalog,
} from './support/runtime-fixture.ts';

const OUTAGE_MS = 60_000;

let groupCounter = 0;
const uniqueGroup = (purpose: string) =>
  `svc.${purpose}-${process.pid}-${++groupCounter}-${Date.now() % 100000}`;

export function runRuntimeContract(
  name: string,
  setup: () => Promise<RuntimeFixture>,
  options: { skip?: string | false } = {},
): void {
  describe(`event runtime over ${name}`, { skip: options.skip ?? false }, () => {
    let fixture: RuntimeFixture;
    const running: Events[] = [];
    const databases: TestDatabase[] = [];

    before(async () => {
      fixture = await setup();
    });
    after(async () => {
      await Promise.allSettled(running.map((events) => events.stop()));
      await Promise.allSettled(databases.map((db) => db.drop()));
      await fixture?.teardown();
    });

    async function service(
      handlers: Array<{ group: string; handle: EventHandler<{ n: number; note?: string }> }>,
      options: Partial<EventsOptions> = {},
      db?: TestDatabase,
    ): Promise<{ events: Events; db: TestDatabase }> {
      const database = db ?? (await serviceDatabase());
      if (db === undefined) databases.push(database);
      const events = new Events({
        service: 'svc',
        db: database.pool,
        transport: fixture.transport(),
        catalog: testCatalog(),
        logger: quietLogger,
        retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
        relay: { pollIntervalMs: 200, retryBaseMs: 100, retryMaxMs: 1000 },
        ...options,
      });
      for (const { group, handle } of handlers) events.subscribe(consume(ThingHappenedV1, group, handle));
      await events.start();
      running.push(events);
      return { events, db: database };
    }

    /** A handler recording what it applied in the service's `applied` table. */
    const recording =
      (group: string): EventHandler<{ n: number }> =>
      async (event, tx) => {
        await tx.query('insert into applied (consumer_group, n, event_id) values ($1, $2, $3)', [
          group,
          event.data.n,
          event.id,
        ]);
      };

    const appliedNs = async (db: TestDatabase, group: string): Promise<number[]> =>
      (
        await db.pool.query<{ n: number }>('select n from applied where consumer_group = $1 order by n', [
          group,
        ])
      ).rows.map((row) => row.n);

    it('an event is delivered if and only if its transaction commits', async () => {
      const group = uniqueGroup('commit');
      const { events, db } = await service([{ group, handle: recording(group) }]);
      await withTransaction(db.pool, async (tx) => {
        await events.publish(tx, ThingHappenedV1, { subject: 's-1', data: { n: 1 } });
      });
      await assert.rejects(
        withTransaction(db.pool, async (tx) => {
          await events.publish(tx, ThingHappenedV1, { subject: 's-1', data: { n: 2 } });
          throw new Error('the change fails after publishing');
        }),
        /the change fails/,
      );
      await withTransaction(db.pool, async (tx) => {
        await events.publish(tx, ThingHappenedV1, { subject: 's-1', data: { n: 3 } });
      });
      await eventually(
        'both committed events are applied',
        async () => (await appliedNs(db, group)).length >= 2,
      );
      await sleep(300);
      assert.deepEqual(await appliedNs(db, group), [1, 3]);
      const { rows } = await db.pool.query('select count(*)::int as n from outbox where sent_at is null');
      assert.equal(rows[0].n, 0, 'the outbox has nothing pending');
    });

    it('publishing an event its contract refuses throws and writes nothing', async () => {
      const { events, db } = await service([]);
      await assert.rejects(
        withTransaction(db.pool, (tx) =>
          events.publish(tx, ThingHappenedV1, { subject: 's', data: { n: -1 } as { n: number } }),
        ),
        (err: unknown) => err instanceof ContractViolation && /data\/n/.test(err.message),
      );
      const { rows } = await db.pool.query('select count(*)::int as n from outbox');
      assert.equal(rows[0].n, 0);
    });

    it('an event committed while the transport is down is delivered once it is back', async () => {
      const group = uniqueGroup('outage');
      const { events, db } = await service([{ group, handle: recording(group) }]);
      const restore = await fixture.outage();
      try {
        await withTransaction(db.pool, (tx) =>
          events.publish(tx, ThingHappenedV1, { subject: 'outage', data: { n: 7 } }),
        );
        const committedAt = Date.now();
        // The relay keeps failing while the broker is away; the row stays pending, with the error.
        await eventually('the relay has tried and failed', async () => {
          const { rows } = await db.pool.query('select attempts from outbox where sent_at is null');
          return rows.length === 1 && rows[0].attempts > 0;
        });
        // The acceptance's case: the transport comes back a minute after the commit.
        await sleep(Math.max(0, OUTAGE_MS - (Date.now() - committedAt)));
      } finally {
        await restore();
      }
      await eventually(
        'the event is applied after the transport came back',
        async () => (await appliedNs(db, group)).includes(7),
        60_000,
      );
      assert.deepEqual(await appliedNs(db, group), [7]);
    });

    it('events delivered together are applied together; one failing handler does not hold back the rest', async () => {
      const group = uniqueGroup('together');
      let failuresLeft = 1;
      const { events, db } = await service([
        {
          group,
          handle: async (event, tx) => {
            if (event.data.n === 3 && failuresLeft > 0) {
              failuresLeft--;
              throw new Error('fails once');
            }
            await recording(group)(event, tx);
          },
        },
      ]);
      await withTransaction(db.pool, async (tx) => {
        for (let n = 0; n < 10; n++)
          await events.publish(tx, ThingHappenedV1, { subject: `s-${n}`, data: { n } });
      });
      await eventually('all ten are applied', async () => (await appliedNs(db, group)).length === 10);
      await sleep(300);
      assert.deepEqual(await appliedNs(db, group), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.equal(failuresLeft, 0, 'the failing handler ran and was retried');
      assert.equal((await listDeadLetters(db.pool, { group, limit: 10 })).length, 0);
      const { rows } = await db.pool.query('select count(*)::int as n from inbox where consumer_group = $1', [
        group,
      ]);
      assert.equal(rows[0].n, 10, 'each event once in the inbox');
    });

    it('a redelivered event is acknowledged without running the handler again', async () => {
      const group = uniqueGroup('dedupe');
      let runs = 0;
      const { events, db } = await service([
        {
          group,
          handle: async (event, tx) => {
            runs++;
            await recording(group)(event, tx);
          },
        },
      ]);
      const envelope = await withTransaction(db.pool, (tx) =>
        events.publish(tx, ThingHappenedV1, { subject: 'dup', data: { n: 11 } }),
      );
      await eventually('applied once', async () => (await appliedNs(db, group)).length === 1);
      // The network delivers it again (same id): the inbox must swallow it.
      await events.transport.sendToGroup(group, {
        id: envelope.id,
        type: envelope.type,
        subject: envelope.subject,
        body: JSON.stringify(envelope),
      });
      await events.transport.sendToGroup(group, {
        id: envelope.id,
        type: envelope.type,
        subject: envelope.subject,
        body: JSON.stringify(envelope),
      });
      await sleep(1000);
      assert.equal(runs, 1);
      assert.deepEqual(await appliedNs(db, group), [11]);
    });

    it('a failing handler is retried, dead-lettered with its error, and applied once on replay', async () => {
      const group = uniqueGroup('failing');
      let fixed = false;
      let attempts = 0;
      const { events, db } = await service([
        {
          group,
          handle: async (event, tx) => {
            attempts++;
            if (!fixed) throw new Error('warehouse API refused: 503');
            await recording(group)(event, tx);
          },
        },
      ]);
      await withTransaction(db.pool, (tx) =>
        events.publish(tx, ThingHappenedV1, { subject: 'fail', data: { n: 21 } }),
      );
      await eventually(
        'the event is dead-lettered',
        async () => (await listDeadLetters(db.pool, { group, limit: 10 })).length === 1,
      );
      const [letter] = await listDeadLetters(db.pool, { group, limit: 10 });
      assert.ok(letter);
      assert.equal(attempts, 3, 'maxAttempts handler runs');
      assert.equal(letter.attempts, 3);
      assert.match(letter.error, /warehouse API refused: 503/);
      assert.equal(letter.eventType, ThingHappenedV1.type);
      assert.deepEqual(await appliedNs(db, group), []);

      fixed = true;
      assert.equal(await replayDeadLetter(db.pool, events.transport, letter.id), 'replayed');
      assert.equal(await replayDeadLetter(db.pool, events.transport, letter.id), 'already_replayed');
      await eventually(
        'the replayed event is applied',
        async () => (await appliedNs(db, group)).length === 1,
      );
      await sleep(500);
      assert.deepEqual(await appliedNs(db, group), [21]);
      assert.equal((await listDeadLetters(db.pool, { group, limit: 10 })).length, 0);
    });

    it('a malformed message is dead-lettered and the consumer keeps running', async () => {
      const group = uniqueGroup('malformed');
      const { events, db } = await service([{ group, handle: recording(group) }]);
      await events.transport.sendToGroup(group, {
        id: 'junk-1',
        type: ThingHappenedV1.type,
        subject: 'x',
        body: '{not json',
      });
      const wrongData = {
        specversion: '1.0',
        id: 'junk-2',
        type: ThingHappenedV1.type,
        source: 'elsewhere',
        time: new Date().toISOString(),
        subject: 'x',
        datacontenttype: 'application/json',
        data: { n: 'three' },
      };
      await events.transport.sendToGroup(group, {
        id: 'junk-2',
        type: ThingHappenedV1.type,
        subject: 'x',
        body: JSON.stringify(wrongData),
      });
      await withTransaction(db.pool, (tx) =>
        events.publish(tx, ThingHappenedV1, { subject: 'after-junk', data: { n: 31 } }),
      );
      await eventually('the valid event after the junk is applied', async () =>
        (await appliedNs(db, group)).includes(31),
      );
      // Deliveries are handled concurrently: the junk may be dead-lettered after the valid event.
      await eventually(
        'both junk messages are dead-lettered',
        async () => (await listDeadLetters(db.pool, { group, limit: 10 })).length >= 2,
      );
      const letters = await listDeadLetters(db.pool, { group, limit: 10 });
      assert.equal(letters.length, 2, JSON.stringify(letters));
      for (const letter of letters) assert.match(letter.error, /^malformed: /);
      assert.ok(letters.some((l) => l.payload === '{not json' && l.eventId === null));
      assert.ok(letters.some((l) => l.eventId === 'junk-2' && /data\/n/.test(l.error)));
    });

    it('two consumer groups each get every event; two instances of a group share them', async () => {
      const billing = uniqueGroup('billing');
      const search = uniqueGroup('search');
      // Two instances of the "search" service share one database (as replicas do).
      const first = await service([{ group: search, handle: recording(search) }]);
      await service([{ group: search, handle: recording(search) }], { relayEnabled: false }, first.db);
      const other = await service([{ group: billing, handle: recording(billing) }]);
      const total = 60;
      for (let n = 0; n < total; n++) {
        await withTransaction(first.db.pool, (tx) =>
          first.events.publish(tx, ThingHappenedV1, { subject: `p-${n % 5}`, data: { n } }),
        );
      }
      const all = Array.from({ length: total }, (_, n) => n);
      await eventually(
        'search applied every event',
        async () => (await appliedNs(first.db, search)).length === total,
      );
      await eventually(
        'billing applied every event',
        async () => (await appliedNs(other.db, billing)).length === total,
      );
      await sleep(300);
      assert.deepEqual(await appliedNs(first.db, search), all);
      assert.deepEqual(await appliedNs(other.db, billing), all);
    });

    it('a group declared before it first consumes gets what was published in between', async () => {
      const declared = uniqueGroup('declared');
      const undeclared = uniqueGroup('undeclared');
      // What a service's migrate step does (declareConsumerGroupsStep), here on a transport of its own.
      const migrate = fixture.transport();
      await migrate.start();
      try {
        const subscriptions = [consume(ThingHappenedV1, declared, recording(declared))];
        assert.deepEqual(await declareConsumerGroups(migrate, subscriptions), [declared]);
        await declareConsumerGroups(migrate, subscriptions); // idempotent, as migrations are
      } finally {
        await migrate.close();
      }
      const producer = await service([]);
      await withTransaction(producer.db.pool, (tx) =>
        producer.events.publish(tx, ThingHappenedV1, { subject: 'early', data: { n: 1 } }),
      );
      await eventually('the producer relayed the event before any consumer ran', async () => {
        const { rows } = await producer.db.pool.query(
          'select count(*)::int as n from outbox where sent_at is null',
        );
        return rows[0].n === 0;
      });
      const consumerDb = await serviceDatabase();
      databases.push(consumerDb);
      await service(
        [
          { group: declared, handle: recording(declared) },
          { group: undeclared, handle: recording(undeclared) },
        ],
        { relayEnabled: false },
        consumerDb,
      );
      await eventually(
        'the declared group applied the early event',
        async () => (await appliedNs(consumerDb, declared)).length === 1,
      );
      await sleep(300);
      assert.deepEqual(await appliedNs(consumerDb, declared), [1]);
      // Publish-subscribe: a group whose queue did not exist yet never hears of it.
      assert.deepEqual(await appliedNs(consumerDb, undeclared), []);
    });

    it('two relays on one outbox send every row once', async () => {
      const group = uniqueGroup('relays');
      // Count deliveries below the inbox (which would hide a duplicate send).
      const deliveries = new Map<string, number>();
      const transport = fixture.transport();
      const consumeDirect = transport.consume.bind(transport);
      transport.consume = (options, handler) =>
        consumeDirect(options, (delivery) => {
          const { payload } = delivery;
          const text =
            typeof payload === 'string' || Buffer.isBuffer(payload)
              ? String(payload)
              : JSON.stringify(payload);
          const id = String((JSON.parse(text) as { id: string }).id);
          deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
          return handler(delivery);
        });
      const consumer = await service([{ group, handle: recording(group) }], { transport });
      const producerDb = await serviceDatabase();
      databases.push(producerDb);
      const a = await service([], {}, producerDb);
      await service([], {}, producerDb);
      const total = 300;
      await withTransaction(producerDb.pool, async (tx) => {
        for (let n = 0; n < total; n++) {
          await a.events.publish(tx, ThingHappenedV1, { subject: `r-${n % 7}`, data: { n } });
        }
      });
      await eventually(
        'every row is applied',
        async () => (await appliedNs(consumer.db, group)).length >= total,
      );
      await sleep(500);
      const { rows } = await consumer.db.pool.query<{ n: number }>(
        'select count(*)::int as n from inbox where consumer_group = $1',
        [group],
      );
      assert.equal(rows[0]?.n, total);
      assert.equal((await appliedNs(consumer.db, group)).length, total);
      assert.equal(deliveries.size, total);
      assert.deepEqual([...new Set(deliveries.values())], [1], 'no row was sent twice');
      const pending = await producerDb.pool.query(
        'select count(*)::int as n from outbox where sent_at is null',
      );
      assert.equal(pending.rows[0].n, 0);
    });
  });
}
