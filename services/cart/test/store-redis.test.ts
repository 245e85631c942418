// The cart store contract against a real Redis (the run's, or a private server), each run under
// its own key prefix.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { isAppError } from '@shopnow/chassis';
import { freePort } from '@shopnow/testkit';
import { RedisCartStore } from '../src/store/redis-cart-store.ts';
import { redisForTests } from './helpers.ts';
import { storeContract } from './store-contract.ts';

storeContract('Redis', async () => {
  const redis = await redisForTests();
  const store = new RedisCartStore({ url: redis.url, prefix: `test-${randomUUID()}:` });
  return {
    store,
    close: async () => {
      await store.close();
      await redis.stop();
    },
  };
});

it('Redis unreachable: every operation fails as 503 unavailable, not as an internal error', async () => {
  const store = new RedisCartStore({ url: `redis://127.0.0.1:${await freePort()}`, commandTimeoutMs: 300 });
  try {
    const unavailable = (err: unknown) => isAppError(err) && err.status === 503;
    await assert.rejects(store.findById(randomUUID()), unavailable);
    await assert.rejects(store.findByUser(randomUUID()), unavailable);
    await assert.rejects(store.cartsHoldingProduct(randomUUID()), unavailable);
    await assert.rejects(store.deleteIdle(Date.now(), 10), unavailable);
  } finally {
    await store.close();
  }
});
