import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LauncherError } from '../src/errors.ts';
import { describeEvents, eventsTransportFrom } from '../src/runtime/events.ts';
import { serviceEnv } from '../src/runtime/service-env.ts';

// Which event transport the launcher hands its services, read from its own environment.

describe('eventsTransportFrom', () => {
  it('is the bus database unless told otherwise', () => {
    assert.deepEqual(eventsTransportFrom({}), { kind: 'postgres' });
    assert.deepEqual(eventsTransportFrom({ EVENTS_TRANSPORT: '' }), { kind: 'postgres' });
    assert.deepEqual(eventsTransportFrom({ EVENTS_TRANSPORT: 'postgres', AMQP_URL: 'amqp://x' }), {
      kind: 'postgres',
    });
  });

  it('takes RabbitMQ with its AMQP_URL', () => {
    assert.deepEqual(
      eventsTransportFrom({ EVENTS_TRANSPORT: 'rabbitmq', AMQP_URL: 'amqps://u:p@mq:5671/v' }),
      {
        kind: 'rabbitmq',
        amqpUrl: 'amqps://u:p@mq:5671/v',
      },
    );
  });

  it('refuses a missing or bad AMQP_URL and an unknown transport in one line, never echoing the URL', () => {
    const fails = (env: NodeJS.ProcessEnv, message: RegExp) =>
      assert.throws(
        () => eventsTransportFrom(env),
        (err: unknown) => err instanceof LauncherError && message.test(err.message),
      );
    fails({ EVENTS_TRANSPORT: 'rabbitmq' }, /^config: EVENTS_TRANSPORT=rabbitmq needs AMQP_URL/);
    fails({ EVENTS_TRANSPORT: 'rabbitmq', AMQP_URL: '  ' }, /needs AMQP_URL/);
    fails(
      { EVENTS_TRANSPORT: 'rabbitmq', AMQP_URL: 'http://u:secret@mq' },
      /^config: AMQP_URL must be an amqp:\/\//,
    );
    fails(
      { EVENTS_TRANSPORT: 'kafka' },
      /^config: EVENTS_TRANSPORT must be postgres or rabbitmq \(got "kafka"\)$/,
    );
    assert.throws(
      () => eventsTransportFrom({ EVENTS_TRANSPORT: 'rabbitmq', AMQP_URL: 'http://u:secret@mq' }),
      (err: Error) => !err.message.includes('secret'),
    );
  });
});

describe('serviceEnv event variables', () => {
  const input = {
    instanceId: 'product-1',
    port: 4110,
    registryUrl: 'http://127.0.0.1:4000',
  };
  const busUrl = 'postgres://bus:pw@127.0.0.1:54329/bus';

  it('gives the bus database URL and drops a stray AMQP_URL', () => {
    const env = serviceEnv(
      { AMQP_URL: 'amqp://stray', BUS_DATABASE_URL: 'postgres://stray' },
      { ...input, events: { EVENTS_TRANSPORT: 'postgres', BUS_DATABASE_URL: busUrl } },
    );
    assert.equal(env.EVENTS_TRANSPORT, 'postgres');
    assert.equal(env.BUS_DATABASE_URL, busUrl);
    assert.equal('AMQP_URL' in env, false);
  });

  it('gives the RabbitMQ URL and no bus database URL', () => {
    const env = serviceEnv(
      { BUS_DATABASE_URL: 'postgres://stray' },
      { ...input, events: { EVENTS_TRANSPORT: 'rabbitmq', AMQP_URL: 'amqp://mq' } },
    );
    assert.equal(env.EVENTS_TRANSPORT, 'rabbitmq');
    assert.equal(env.AMQP_URL, 'amqp://mq');
    assert.equal('BUS_DATABASE_URL' in env, false);
  });

  it('describes the transport without its password', () => {
    assert.equal(
      describeEvents({ EVENTS_TRANSPORT: 'postgres', BUS_DATABASE_URL: busUrl }),
      'postgres, database "bus" at postgres://bus@127.0.0.1:54329/bus (BUS_DATABASE_URL)',
    );
    assert.equal(
      describeEvents({ EVENTS_TRANSPORT: 'rabbitmq', AMQP_URL: 'amqp://u:secret@mq:5672/v' }),
      'rabbitmq at amqp://u@mq:5672/v (AMQP_URL)',
    );
  });
});
