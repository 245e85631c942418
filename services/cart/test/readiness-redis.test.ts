// With carts in Redis, the cart service is ready only while Redis answers: the launcher and
// Kubernetes take it out of rotation during an outage and back when Redis returns.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startRedis } from '@shopnow/testkit';
import { startCart } from './helpers.ts';

it('readiness names redis while it is down, and is ready again once it is back', async () => {
  const redis = await startRedis();
  const f = await startCart({ redisUrl: redis.url });
  const ready = () => f.app.inject({ method: 'GET', url: '/health/ready' });
  try {
    const up = await ready();
    assert.equal(up.statusCode, 200, up.body);
    assert.equal(up.json().checks.redis, 'ok');

    await redis.down();
    const down = await ready();
    assert.equal(down.statusCode, 503, down.body);
    assert.match(down.headers['content-type'] as string, /application\/problem\+json/);
    assert.equal(down.json().checks.redis, 'fail');
    assert.equal(down.json().checks.db, 'ok');

    await redis.up();
    const deadline = Date.now() + 10_000;
    let again = await ready();
    while (again.statusCode !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      again = await ready();
    }
    assert.equal(again.statusCode, 200, again.body);
  } finally {
    await f.close();
    await redis.stop();
  }
});
