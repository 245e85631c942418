// The cart store contract against a real Redis (the run's, or a private server), each run under
// its own key prefix.
import { randomUUID } from 'node:crypto';
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
