// The migrate step that declares a service's consumer groups: which groups and types it finds, that
// it declares them on the bus the configuration names (a real PostgreSQL bus), and that a consumes.ts
// reading its context while the subscriptions are built is refused with a clear error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestDatabase, testDatabase } from '@shopnow/testkit';
import { consumerGroups, declareConsumerGroupsStep } from '../src/consumer-groups.ts';
import { consume, type Subscription } from '../src/inbox/handlers.ts';
import { queueNameForGroup } from '../src/transports/postgres.ts';
import { quietLogger, ThingHappenedV1 } from './support/runtime-fixture.ts';

const noop = async () => {};

describe('declaring consumer groups at migrate', () => {
  let bus: TestDatabase;
  before(async () => {
    bus = await testDatabase();
  });
  after(async () => {
    await bus?.drop();
  });

  it('finds each group once with the types it consumes', () => {
    const groups = consumerGroups([
      consume(ThingHappenedV1, 'svc.a', noop),
      consume(ThingHappenedV1, 'svc.b', noop),
      consume(ThingHappenedV1, 'svc.a', noop),
    ]);
    assert.deepEqual(
      [...groups],
      [
        ['svc.a', [ThingHappenedV1.type]],
        ['svc.b', [ThingHappenedV1.type]],
      ],
    );
  });

  it('declares the groups on the configured bus, built from a factory without its context', async () => {
    const subscriptionsOf = (ctx: { logger: { info(m: string): void } }): Subscription[] => [
      consume(ThingHappenedV1, 'svc.declared', async () => ctx.logger.info('handled')),
    ];
    const step = declareConsumerGroupsStep(subscriptionsOf);
    const env = { EVENTS_TRANSPORT: 'postgres', BUS_DATABASE_URL: bus.url };
    await step({ logger: quietLogger, env });
    await step({ logger: quietLogger, env }); // again, as every migrate does
    const { rows } = await bus.pool.query<{ event: string; name: string }>(
      'select event, name from pgboss.subscription',
    );
    assert.deepEqual(rows, [{ event: ThingHappenedV1.type, name: queueNameForGroup('svc.declared') }]);
  });

  it('refuses subscriptions that read their context while being built', async () => {
    const eager = (ctx: { group: string }): Subscription[] => [consume(ThingHappenedV1, ctx.group, noop)];
    await assert.rejects(
      declareConsumerGroupsStep(eager)({ logger: quietLogger, env: {} }),
      /building the subscriptions read their context \(group\)/,
    );
  });

  it('needs the bus settings only when there is a group to declare', async () => {
    await declareConsumerGroupsStep([])({ logger: quietLogger, env: {} });
    await assert.rejects(
      declareConsumerGroupsStep([consume(ThingHappenedV1, 'svc.x', noop)])({
        logger: quietLogger,
        env: { EVENTS_TRANSPORT: 'postgres' },
      }),
      /BUS_DATABASE_URL is required/,
    );
  });
});
