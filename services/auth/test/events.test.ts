// The outbox is relayed: another service's consumer group on the bus receives auth's events
// (here auth.user_registered.v1, which the user, profile and token services build on).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthUserRegisteredV1 } from '@shopnow/contracts';
import { type Consumer, createPostgresTransport, type Delivery, type Transport } from '@shopnow/events';
import { type AuthFixture, accountId, register, startAuth, uniqueEmail } from './helpers.ts';

let f: AuthFixture;
let other: Transport;
let consumer: Consumer;
const received: Array<{ type: string; subject: string; data: Record<string, unknown> }> = [];

before(async () => {
  f = await startAuth();
  other = createPostgresTransport({ connectionString: f.bus.url });
  await other.start();
  consumer = await other.consume(
    { group: 'user.accounts', types: [AuthUserRegisteredV1.type], concurrency: 4 },
    async (delivery: Delivery) => {
      received.push(JSON.parse(String(delivery.payload)));
      return { outcome: 'ack' };
    },
  );
});
after(async () => {
  await consumer?.close();
  await other?.close();
  await f?.close();
});

describe('events on the bus', () => {
  it('a registration reaches another service as auth.user_registered.v1', async () => {
    const email = uniqueEmail('bus');
    await register(f, { email, displayName: 'On The Bus' });
    const userId = await accountId(f.pool, email);
    const deadline = Date.now() + 15_000;
    while (!received.some((event) => event.subject === userId)) {
      assert.ok(Date.now() < deadline, 'auth.user_registered.v1 never arrived');
      await sleep(50);
    }
    const event = received.find((e) => e.subject === userId);
    assert.equal(event?.type, 'auth.user_registered.v1');
    assert.deepEqual(event?.data, { userId, email, displayName: 'On The Bus' });
  });
});
