// The consumers with carts in Redis (REDIS_URL set: the app picks the Redis store).
import { eventsContract } from './events-contract.ts';
import { redisForTests } from './helpers.ts';

eventsContract('Redis', async () => {
  const redis = await redisForTests();
  return { redisUrl: redis.url, stop: () => redis.stop() };
});
