import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ForwardRequest, readBody, type UpstreamSet } from '../src/upstream/upstream-set.ts';
import { okHandler, until, upstreamTestbed } from './fixtures/upstream-servers.ts';

const bed = upstreamTestbed();

const GET: ForwardRequest = { method: 'GET', path: '/things', headers: {}, idempotent: true };

const upstreamSet = bed.svc;

async function get(set: UpstreamSet): Promise<{ status: number; instance: string }> {
  const response = await set.forward('svc', GET);
  await readBody(response.body);
  return { status: response.status, instance: response.instance };
}

const instanceOf = (set: UpstreamSet, url: string) =>
  set.snapshot()[0]?.instances.find((instance) => instance.url === url);

test('active health checks take an instance answering 503 out, and back in when it recovers', async () => {
  let ready = true;
  const flaky = await bed.server((req, res, upstream) => {
    if (req.url === '/health/ready' && !ready) {
      res.writeHead(503).end();
      return;
    }
    okHandler(req, res, upstream);
  });
  const steady = await bed.server();
  const set = upstreamSet([flaky.url, steady.url], {
    health: { intervalMs: 50, timeoutMs: 500, unhealthyThreshold: 2, healthyThreshold: 2 },
  });
  set.start();
  await until(() => set.snapshot()[0]?.instances.length === 2, 2_000, 'discovery');
  assert.equal(instanceOf(set, flaky.url)?.healthy, true, 'a new instance starts healthy');

  ready = false;
  await until(() => instanceOf(set, flaky.url)?.healthy === false, 3_000, 'flaky marked unhealthy');
  assert.match(instanceOf(set, flaky.url)?.lastError ?? '', /503/);
  assert.equal(set.hasInstances('svc'), true, 'the steady instance remains');
  const before = flaky.requests.length;
  for (let i = 0; i < 10; i++) assert.equal((await get(set)).instance, steady.url);
  assert.equal(flaky.requests.length, before, 'no traffic to the unhealthy instance');

  ready = true;
  await until(() => instanceOf(set, flaky.url)?.healthy === true, 3_000, 'flaky healthy again');
  const served = new Set<string>();
  for (let i = 0; i < 10; i++) served.add((await get(set)).instance);
  assert.deepEqual([...served].sort(), [flaky.url, steady.url].sort());
});

test('hasInstances is false when every instance is unhealthy', async () => {
  const sick = await bed.server((_req, res) => res.writeHead(503).end());
  const set = upstreamSet([sick.url], { health: { intervalMs: 50, unhealthyThreshold: 1 } });
  set.start();
  await until(() => set.snapshot()[0]?.instances.length === 1, 2_000, 'discovery');
  await until(() => !set.hasInstances('svc'), 3_000, 'unhealthy');
  assert.equal(set.hasInstances('nope'), false);
  // Still tried rather than failing outright (every instance is out: the one due back first).
  assert.equal((await get(set)).status, 503);
});

test('passive ejection: 3 failures within the window eject an instance; it rejoins after the duration', async () => {
  let failing = true;
  const bad = await bed.server((req, res, upstream) => {
    if (failing && req.url !== '/health/ready') res.writeHead(503).end();
    else okHandler(req, res, upstream);
  });
  const good = await bed.server();
  const durationMs = 1_000;
  const set = upstreamSet([bad.url, good.url], {
    ejection: { failures: 3, windowMs: 10_000, durationMs },
    // Health checks would pass and end the ejection early; keep them out of this test.
    health: { intervalMs: 600_000 },
  });
  set.start();

  // Each 503 is retried on the good instance, so callers see only 200s.
  while (bad.requests.length < 3) assert.equal((await get(set)).status, 200);
  const ejectedAt = Date.now();
  const ejected = instanceOf(set, bad.url);
  assert.ok(ejected?.ejectedUntil && ejected.ejectedUntil > ejectedAt, 'ejected');
  assert.equal(ejected?.lastError, 'answered 503');
  assert.equal(bad.requests.length, 3);

  for (let i = 0; i < 20; i++) assert.equal((await get(set)).instance, good.url);
  assert.equal(bad.requests.length, 3, 'no traffic while ejected');

  failing = false;
  await until(
    async () => (await get(set)).instance === bad.url,
    durationMs + 3_000,
    'the ejected instance to receive traffic again',
  );
  assert.ok(Date.now() - ejectedAt >= durationMs - 50, 'not before the ejection ended');
  assert.equal(instanceOf(set, bad.url)?.ejectedUntil, undefined);
});

test('a passing health check started after an ejection ends it early', async () => {
  let refusing = true;
  const flaky = await bed.server((req, res, upstream) => {
    if (refusing && req.url !== '/health/ready') res.writeHead(502).end();
    else okHandler(req, res, upstream);
  });
  const set = upstreamSet([flaky.url], {
    ejection: { failures: 1, windowMs: 10_000, durationMs: 600_000 },
    health: { intervalMs: 50 },
    retries: 0,
  });
  set.start();
  assert.equal((await get(set)).status, 502);
  assert.ok(instanceOf(set, flaky.url)?.ejectedUntil, 'ejected for 10 minutes');
  refusing = false;
  await until(() => instanceOf(set, flaky.url)?.ejectedUntil === undefined, 3_000, 'ejection lifted');
  assert.equal((await get(set)).status, 200);
});
