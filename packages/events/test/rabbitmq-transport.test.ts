// The RabbitMQ transport on a real broker: the shared one of the test run (SHOPNOW_TEST_AMQP_URL,
// every test with names of its own) and, for what needs a broker restart, a private node.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type RunningRabbitMq,
  rabbitMqInstalled,
  startRabbitMq,
  TEST_AMQP_URL_ENV,
  testAmqpUrl,
} from '@shopnow/testkit';
import { Connection } from 'rabbitmq-client';
import type { Delivery, OutgoingMessage, Settlement } from '../src/transport.ts';
import {
  DELAY_TIERS,
  delayQueue,
  exchangeFor,
  groupQueue,
  tierFor,
} from '../src/transports/rabbitmq/topology.ts';
import {
  createRabbitMqTransport,
  type RabbitMqTransport,
  type RabbitMqTransportOptions,
} from '../src/transports/rabbitmq.ts';
import { eventually, quietLogger } from './support/runtime-fixture.ts';

const sharedUrl = testAmqpUrl();
const notSet = `${TEST_AMQP_URL_ENV} is not set (npm test sets it when rabbitmq-server is installed: apt-get install rabbitmq-server)`;
const skip =
  sharedUrl === undefined && !process.env.CI ? `RabbitMQ transport tests skipped: ${notSet}` : false;
const ownBrokerSkip =
  skip ||
  (!rabbitMqInstalled() && !process.env.CI
    ? 'rabbitmq-server is not installed here (apt-get install rabbitmq-server); these tests restart a broker of their own'
    : false);

/** The shared broker; under CI its absence fails the tests instead of skipping them. */
function brokerUrl(): string {
  if (sharedUrl === undefined) throw new Error(`CI is set but ${notSet}`);
  return sharedUrl;
}

const TYPE = 'order.placed.v1';

/** Names of their own for each test: nothing another test (or file) publishes reaches them. */
const uniquePrefix = () => `t${process.pid}-${randomBytes(4).toString('hex')}`;

const open: RabbitMqTransport[] = [];

async function transport(
  url: string,
  options: Partial<RabbitMqTransportOptions> = {},
): Promise<RabbitMqTransport> {
  const created = createRabbitMqTransport({
    url,
    logger: quietLogger,
    exchangePrefix: uniquePrefix(),
    ...options,
  });
  open.push(created);
  await created.start();
  return created;
}

after(async () => {
  await Promise.allSettled(open.map((t) => t.close()));
});

function message(id: string, type = TYPE): OutgoingMessage {
  return { id, type, subject: 's-1', body: JSON.stringify({ id, type }) };
}

interface Seen {
  id: string;
  attempt: number;
  at: number;
  payload: unknown;
}

/** A handler recording what it sees; `decide` settles each delivery (ack by default). */
function recorder(decide: (seen: Seen) => Settlement | Promise<Settlement> = () => ({ outcome: 'ack' })) {
  const seen: Seen[] = [];
  const handler = async (delivery: Delivery): Promise<Settlement> => {
    const text = Buffer.isBuffer(delivery.payload)
      ? delivery.payload.toString('utf8')
      : String(delivery.payload);
    let id = text;
    try {
      id = String((JSON.parse(text) as { id: unknown }).id);
    } catch {
      // Not JSON: recorded by its text.
    }
    const entry = { id, attempt: delivery.attempt, at: Date.now(), payload: delivery.payload };
    seen.push(entry);
    return decide(entry);
  };
  return { seen, handler, ids: () => seen.map((entry) => entry.id) };
}

async function withRawConnection<T>(url: string, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = new Connection({ url, retryLow: 100, retryHigh: 500 });
  connection.on('error', () => {});
  try {
    await connection.onConnect(10_000);
    return await work(connection);
  } finally {
    await connection.close();
  }
}

describe('rabbitmq transport', { skip }, () => {
  it('publishes persistent, confirmed messages with id, type and content type to the domain exchange', async () => {
    const t = await transport(brokerUrl(), { exchangePrefix: 'props-test' });
    await withRawConnection(brokerUrl(), async (raw) => {
      const exchange = exchangeFor('props-test', TYPE);
      assert.equal(exchange, 'props-test.order');
      await raw.exchangeDeclare({ exchange, type: 'topic', durable: true });
      const { queue } = await raw.queueDeclare({ exclusive: true });
      await raw.queueBind({ queue, exchange, routingKey: TYPE });
      await t.publish([message('p-1')]);
      const got = await raw.basicGet({ queue, noAck: true });
      assert.ok(got, 'the message is routed by its type');
      assert.equal(got.durable, true, 'deliveryMode 2');
      assert.equal(got.messageId, 'p-1');
      assert.equal(got.type, TYPE);
      assert.equal(got.contentType, 'application/json');
      assert.equal(got.routingKey, TYPE);
      assert.deepEqual(got.body, { id: 'p-1', type: TYPE });
    });
  });

  it('every group gets every event, in order; instances of one group share them', async () => {
    const producer = await transport(brokerUrl());
    const prefix = uniquePrefix();
    const a1 = recorder();
    const a2 = recorder();
    const b = recorder();
    const consumerA1 = await transport(brokerUrl(), { exchangePrefix: prefix });
    const consumerA2 = await transport(brokerUrl(), { exchangePrefix: prefix });
    const consumerB = await transport(brokerUrl(), { exchangePrefix: prefix });
    await consumerA1.consume({ group: 'a', types: [TYPE], concurrency: 4 }, a1.handler);
    await consumerA2.consume({ group: 'a', types: [TYPE], concurrency: 4 }, a2.handler);
    await consumerB.consume({ group: 'b', types: [TYPE, 'other.thing.v1'], concurrency: 1 }, b.handler);
    const sameBroker = await transport(brokerUrl(), { exchangePrefix: prefix });
    const ids = Array.from({ length: 40 }, (_, n) => `o-${n}`);
    await sameBroker.publish(ids.map((id) => message(id)));
    await producer.publish([message('elsewhere')]); // another prefix: reaches none of them
    await eventually(
      'every group has every event',
      async () => a1.seen.length + a2.seen.length === 40 && b.seen.length === 40,
    );
    await sleep(300);
    assert.deepEqual(b.ids(), ids, 'one consumer at concurrency 1 sees the batch in order');
    assert.deepEqual([...a1.ids(), ...a2.ids()].sort(), [...ids].sort());
    assert.ok(a1.seen.length > 0 && a2.seen.length > 0, `shared: ${a1.seen.length} + ${a2.seen.length}`);
    assert.ok([...a1.seen, ...a2.seen, ...b.seen].every((seen) => seen.attempt === 1));
    assert.equal(typeof b.seen[0]?.payload, 'string', 'JSON arrives as text');
    assert.equal(b.seen[0]?.payload, JSON.stringify({ id: 'o-0', type: TYPE }));
  });

  it('a retry goes to its own group only, not before its delay, as the next attempt', async () => {
    const t = await transport(brokerUrl());
    const retrying = recorder((seen) =>
      seen.attempt < 3 ? { outcome: 'retry', delayMs: 300 } : { outcome: 'ack' },
    );
    const other = recorder();
    await t.consume({ group: 'retrying', types: [TYPE], concurrency: 2 }, retrying.handler);
    await t.consume({ group: 'other', types: [TYPE], concurrency: 2 }, other.handler);
    await t.publish([message('r-1')]);
    await eventually('the third attempt', async () => retrying.seen.length === 3);
    await sleep(1500);
    assert.deepEqual(
      retrying.seen.map((seen) => seen.attempt),
      [1, 2, 3],
    );
    for (let n = 1; n < 3; n++) {
      const waited = (retrying.seen[n]?.at ?? 0) - (retrying.seen[n - 1]?.at ?? 0);
      assert.ok(waited >= 300, `attempt ${n + 1} came ${waited} ms after the one before`);
    }
    assert.deepEqual(
      other.seen.map((seen) => [seen.id, seen.attempt]),
      [['r-1', 1]],
      'the other group got the event once',
    );
  });

  it('malformed bytes published straight to the exchange reach the handler as bytes; the consumer goes on', async () => {
    const prefix = uniquePrefix();
    const t = await transport(brokerUrl(), { exchangePrefix: prefix });
    const rec = recorder();
    await t.consume({ group: 'junk', types: [TYPE], concurrency: 2 }, rec.handler);
    await withRawConnection(brokerUrl(), async (raw) => {
      const publisher = raw.createPublisher({ confirm: true });
      const exchange = exchangeFor(prefix, TYPE);
      await publisher.send(
        { exchange, routingKey: TYPE, contentType: 'application/json' },
        Buffer.from('not json'),
      );
      await publisher.send({ exchange, routingKey: TYPE }, Buffer.from([0xff, 0xfe, 0x00]));
      await publisher.send(
        { exchange, routingKey: TYPE, contentType: 'text/plain' },
        Buffer.from('plain text'),
      );
      await publisher.close();
    });
    await t.publish([message('valid-after-junk')]);
    await eventually('all four delivered', async () => rec.seen.length === 4);
    const [notJson, bytes, text, valid] = rec.seen;
    assert.ok(Buffer.isBuffer(notJson?.payload) && notJson.payload.toString() === 'not json');
    assert.ok(Buffer.isBuffer(bytes?.payload) && bytes.payload.equals(Buffer.from([0xff, 0xfe, 0x00])));
    assert.equal(text?.payload, 'plain text');
    assert.equal(valid?.id, 'valid-after-junk');
  });

  it('sendToGroup puts a message on that group only, as attempt 1, even before its first consumer', async () => {
    const t = await transport(brokerUrl());
    const target = recorder();
    const bystander = recorder();
    await t.consume({ group: 'bystander', types: [TYPE], concurrency: 1 }, bystander.handler);
    await t.sendToGroup('replayed', { ...message('replay-1'), body: '{not json' });
    await t.sendToGroup('replayed', message('replay-2'));
    await t.consume({ group: 'replayed', types: [TYPE], concurrency: 1 }, target.handler);
    await eventually('both replayed', async () => target.seen.length === 2);
    await sleep(300);
    assert.deepEqual(
      target.seen.map((seen) => [seen.id, seen.attempt]),
      [
        ['{not json', 1],
        ['replay-2', 1],
      ],
    );
    assert.deepEqual(bystander.seen, []);
  });

  it('a handler that throws gets the delivery again as the next attempt', async () => {
    const t = await transport(brokerUrl());
    const rec = recorder((seen) => {
      if (seen.attempt === 1) throw new Error('bug in the runtime');
      return { outcome: 'ack' };
    });
    await t.consume({ group: 'throws', types: [TYPE], concurrency: 1 }, rec.handler);
    await t.publish([message('t-1')]);
    await eventually('delivered again', async () => rec.seen.length === 2);
    assert.deepEqual(
      rec.seen.map((seen) => seen.attempt),
      [1, 2],
    );
  });

  it('a retry that cannot be delayed is dead-lettered to the parking tier and comes back (never dropped)', async () => {
    const prefix = uniquePrefix();
    const t = await transport(brokerUrl(), { exchangePrefix: prefix });
    let calls = 0;
    const rec = recorder(() => (++calls === 1 ? { outcome: 'retry', delayMs: 100 } : { outcome: 'ack' }));
    await t.consume({ group: 'parked', types: [TYPE], concurrency: 1 }, rec.handler);
    // An operator deleted the tier the retry needs: the republish comes back unroutable.
    await withRawConnection(brokerUrl(), (raw) =>
      raw.queueDelete({ queue: delayQueue(groupQueue(prefix, 'parked'), tierFor(100)) }),
    );
    await t.publish([message('parked-1')]);
    await eventually('back from the parking tier', async () => rec.seen.length === 2, 20_000);
    const [first, second] = rec.seen;
    assert.equal(second?.id, 'parked-1');
    assert.equal(second?.attempt, 1, 'rejected, not retried: the same attempt');
    const parked = (second?.at ?? 0) - (first?.at ?? 0);
    assert.ok(parked >= 4500, `parked for ${parked} ms (the 5 s tier)`);
  });

  it('a delay longer than a tier is served in hops (x-shopnow-due)', async () => {
    assert.equal(tierFor(1).ms, 250);
    assert.equal(tierFor(250).ms, 250);
    assert.equal(tierFor(251).ms, 1000);
    assert.equal(tierFor(30_000).ms, 30_000);
    assert.equal(tierFor(10 * 60_000), DELAY_TIERS[DELAY_TIERS.length - 1]);
    const prefix = uniquePrefix();
    const t = await transport(brokerUrl(), { exchangePrefix: prefix });
    const rec = recorder();
    await t.consume({ group: 'hops', types: [TYPE], concurrency: 1 }, rec.handler);
    const sent = Date.now();
    await withRawConnection(brokerUrl(), async (raw) => {
      const publisher = raw.createPublisher({ confirm: true });
      await publisher.send(
        {
          routingKey: groupQueue(prefix, 'hops'),
          durable: true,
          headers: { 'x-shopnow-due': sent + 800, 'x-shopnow-attempt': 1 },
        },
        Buffer.from(JSON.stringify({ id: 'due-1' })),
      );
      await publisher.close();
    });
    await eventually('delivered once due', async () => rec.seen.length === 1);
    assert.ok((rec.seen[0]?.at ?? 0) - sent >= 800, 'not before it was due');
    assert.equal(rec.seen[0]?.attempt, 2);
  });

  it('prefetch follows concurrency: never more deliveries in hand than that', async () => {
    const t = await transport(brokerUrl());
    let inHand = 0;
    let most = 0;
    const rec = recorder(async () => {
      inHand++;
      most = Math.max(most, inHand);
      await sleep(100);
      inHand--;
      return { outcome: 'ack' };
    });
    await t.consume({ group: 'limited', types: [TYPE], concurrency: 3 }, rec.handler);
    await t.publish(Array.from({ length: 12 }, (_, n) => message(`c-${n}`)));
    await eventually('all handled', async () => rec.seen.length === 12);
    assert.equal(most, 3);
  });

  it('a delivery in hand when its instance dies goes to another instance of the group', async () => {
    const prefix = uniquePrefix();
    const dying = await transport(brokerUrl(), { exchangePrefix: prefix });
    let release: (() => void) | undefined;
    const stuck = recorder(async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { outcome: 'ack' };
    });
    await dying.consume({ group: 'crash', types: [TYPE], concurrency: 1 }, stuck.handler);
    await dying.publish([message('in-hand')]);
    await eventually('the first instance holds it', async () => stuck.seen.length === 1);
    const survivor = await transport(brokerUrl(), { exchangePrefix: prefix });
    const rec = recorder();
    await survivor.consume({ group: 'crash', types: [TYPE], concurrency: 1 }, rec.handler);
    await dying.abort();
    await eventually('redelivered to the survivor', async () => rec.seen.length === 1, 10_000);
    assert.deepEqual(
      rec.seen.map((seen) => [seen.id, seen.attempt]),
      [['in-hand', 1]],
    );
    // The dead instance's handler settles after its channel is gone: its ack is lost, quietly.
    release?.();
    await sleep(200);
    await assert.rejects(dying.check(), /closed/);
  });

  it('a confirm that never comes (network black hole) rejects after confirmTimeoutMs, never later', async () => {
    const proxy = await blackHoleProxy(brokerUrl());
    try {
      const t = await transport(proxy.url, { confirmTimeoutMs: 800, heartbeatSeconds: 60 });
      const rec = recorder();
      await t.consume({ group: 'partition', types: [TYPE], concurrency: 1 }, rec.handler);
      await t.publish([message('before')]);
      await t.check();

      proxy.freeze();
      const started = Date.now();
      await assert.rejects(t.publish([message('lost-confirm')]), /did not confirm publish within 800 ms/);
      const waited = Date.now() - started;
      assert.ok(waited >= 750 && waited < 2500, `rejected after ${waited} ms`);
      await assert.rejects(t.check(), /did not answer/);

      proxy.thaw();
      await t.publish([message('after')]);
      await eventually('delivered after the partition', async () => rec.ids().includes('after'));
      // At least once: the unconfirmed message may arrive too (the outbox would send it again anyway).
      assert.deepEqual(
        rec.ids().filter((id) => id !== 'lost-confirm'),
        ['before', 'after'],
      );
    } finally {
      await proxy.close();
    }
  });

  it('refuses work before start() and after close()', async () => {
    const t = createRabbitMqTransport({
      url: brokerUrl(),
      logger: quietLogger,
      exchangePrefix: uniquePrefix(),
    });
    await assert.rejects(t.publish([message('x')]), /not started/);
    await assert.rejects(t.check(), /not started/);
    await t.start();
    await t.check();
    await t.close();
    await assert.rejects(t.publish([message('x')]), /closed/);
    await assert.rejects(t.check(), /closed/);
    await assert.rejects(t.start(), /closed/);
  });

  it('start() rejects with the reason when no broker answers', async () => {
    const t = createRabbitMqTransport({
      url: 'amqp://guest:guest@127.0.0.1:9/',
      logger: quietLogger,
      connectTimeoutMs: 1000,
    });
    await assert.rejects(
      t.start(),
      /cannot connect to rabbitmq at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:9\/ within 1000 ms/,
    );
    await t.close();
  });
});

describe('rabbitmq transport across broker restarts', { skip: ownBrokerSkip }, () => {
  let broker: RunningRabbitMq;
  before(async () => {
    broker = await startRabbitMq();
  });
  after(async () => {
    await Promise.allSettled(open.map((t) => t.close()));
    await broker?.stop();
  });

  it('publishing while the broker is down rejects at once; it works again once the broker is back', async () => {
    const t = await transport(broker.url, { confirmTimeoutMs: 1500 });
    const rec = recorder();
    await t.consume({ group: 'outage', types: [TYPE], concurrency: 2 }, rec.handler);
    await t.publish([message('before')]);
    const restarting = broker.restart();
    try {
      await eventually('the transport sees the broker gone', async () =>
        t.check().then(
          () => false,
          () => true,
        ),
      );
      const started = Date.now();
      await assert.rejects(t.publish([message('while-down')]), /not connected|did not confirm/);
      assert.ok(Date.now() - started < 2500, 'within the confirm timeout');
    } finally {
      await restarting;
    }
    await eventually(
      'publishing works again',
      async () =>
        t.publish([message('after')]).then(
          () => true,
          () => false,
        ),
      30_000,
    );
    await eventually('delivered after the restart', async () => rec.ids().includes('after'), 30_000);
    await sleep(300);
    assert.ok(rec.ids().includes('before'));
    assert.ok(!rec.ids().includes('while-down'), 'a rejected publish was never sent');
  });

  it('consumers resume after a broker restart, with no message lost (queued, in hand or delayed)', async () => {
    const prefix = uniquePrefix();
    const producer = await transport(broker.url, { exchangePrefix: prefix });
    const consumer = await transport(broker.url, { exchangePrefix: prefix });
    const rec = recorder(async (seen) => {
      if (seen.id === 'delayed' && seen.attempt === 1) return { outcome: 'retry', delayMs: 3000 };
      await sleep(10);
      return { outcome: 'ack' };
    });
    await consumer.consume({ group: 'resume', types: [TYPE], concurrency: 2 }, rec.handler);
    const early = Array.from({ length: 300 }, (_, n) => `early-${n}`);
    await producer.publish([message('delayed')]);
    for (let n = 0; n < early.length; n += 50)
      await producer.publish(early.slice(n, n + 50).map((id) => message(id)));
    await eventually('consuming has begun', async () => rec.seen.length >= 10);
    await broker.restart();
    const late = Array.from({ length: 50 }, (_, n) => `late-${n}`);
    await eventually(
      'the producer is back',
      async () =>
        producer.publish(late.map((id) => message(id))).then(
          () => true,
          () => false,
        ),
      30_000,
    );
    const all = ['delayed', ...early, ...late];
    await eventually('every message consumed', async () => all.every((id) => rec.ids().includes(id)), 60_000);
    // The retry is due 3 s after the first attempt: the rest may all be consumed before it.
    const attemptsOfDelayed = () =>
      rec.seen.filter((seen) => seen.id === 'delayed').map((seen) => seen.attempt);
    await eventually('the delayed retry came back', async () => attemptsOfDelayed().includes(2), 60_000);
    await consumer.check();
  });
});

/** A TCP proxy to the broker that can stop passing bytes (both ways) without closing anything. */
async function blackHoleProxy(
  target: string,
): Promise<{ url: string; freeze(): void; thaw(): void; close(): Promise<void> }> {
  const upstreamUrl = new URL(target);
  let frozen = false;
  const held: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (chunk) => {
      if (frozen) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  const server = createServer((client) => {
    const upstream = connect({ host: upstreamUrl.hostname, port: Number(upstreamUrl.port || 5672) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(socket);
      });
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const write of held.splice(0)) write();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
