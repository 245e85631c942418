// Acceptance: two upstream instances as child processes under continuous GET load; one is
// SIGKILLed mid-load. Callers see no errors beyond the requests in flight on the killed
// sockets (in practice none: they are retried on the other instance), the dead instance is
// ejected, and once restarted on the same port it rejoins within a few seconds.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { freePort } from '@shopnow/testkit';
import { readBody, UpstreamSet } from '../src/upstream/upstream-set.ts';
import { fixedDiscovery, silentLogger, until } from './fixtures/upstream-servers.ts';

const CHILD = new URL('./fixtures/upstream-child.ts', import.meta.url).pathname;
const CONCURRENCY = 20;
const children = new Set<ChildProcess>();

after(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function startChild(port: number, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD, String(port), name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const [line] = (await Promise.race([
    once(child.stdout as NodeJS.ReadableStream, 'data'),
    once(child, 'exit').then(() => {
      throw new Error(`upstream child ${name} exited before it was ready`);
    }),
  ])) as [Buffer];
  assert.equal(line.toString().trim(), 'ready');
  return child;
}

test('killing one of two instances under load: no failed GETs, ejection, rejoin after restart', async (t) => {
  const [portA, portB] = [await freePort(), await freePort()];
  const urlA = `http://127.0.0.1:${portA}`;
  const urlB = `http://127.0.0.1:${portB}`;
  await startChild(portA, 'a');
  const b = await startChild(portB, 'b');

  const set = new UpstreamSet({
    discovery: fixedDiscovery({ product: [urlA, urlB] }),
    upstreams: new Map([
      // Default ejection (3 failures in 30 s → out for 30 s): the rejoin must come from health checks.
      ['product', { service: 'product', balance: 'least_outstanding', health: { intervalMs: 250 } }],
    ]),
    logger: silentLogger,
  });
  set.start();

  const served = new Map<string, number>(); // "name/pid" → answers
  const failures: unknown[] = [];
  let ok = 0;
  let retried = 0;
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        const response = await set.forward('product', {
          method: 'GET',
          path: '/products/1',
          headers: { accept: 'application/json' },
          idempotent: true,
        });
        const body = JSON.parse((await readBody(response.body)).toString()) as {
          instance: string;
          pid: number;
        };
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        const key = `${body.instance}/${body.pid}`;
        served.set(key, (served.get(key) ?? 0) + 1);
        ok++;
        if (response.attempts > 1) retried++;
      } catch (err) {
        failures.push(err);
      }
    }
  };
  const loops = Array.from({ length: CONCURRENCY }, loop);
  try {
    await until(() => ok >= 300, 10_000, 'load to warm up');
    const before = served.get(`b/${b.pid}`) ?? 0;
    assert.ok(before > 50, `both instances serve (b answered ${before})`);

    b.kill('SIGKILL');
    await once(b, 'exit');
    const okAtKill = ok;
    await until(() => ok >= okAtKill + 500, 10_000, 'load to continue on the survivor');

    const dead = set.snapshot()[0]?.instances.find((instance) => instance.url === urlB);
    assert.ok(dead?.ejectedUntil !== undefined || dead?.healthy === false, 'the dead instance is out');
    assert.ok(dead?.ejectedUntil, 'ejected by the refused connections (passive, before any health check)');
    assert.equal(set.hasInstances('product'), true);

    const restarted = await startChild(portB, 'b');
    const restartedAt = Date.now();
    await until(
      () => (served.get(`b/${restarted.pid}`) ?? 0) > 20,
      5_000,
      'the restarted instance to get traffic',
    );
    const rejoinMs = Date.now() - restartedAt;
    const back = set.snapshot()[0]?.instances.find((instance) => instance.url === urlB);
    assert.equal(back?.ejectedUntil, undefined);
    assert.equal(back?.healthy, true);

    running = false;
    await Promise.all(loops);
    // Only requests in flight on the killed sockets may fail, and those GETs are retried.
    assert.ok(failures.length <= CONCURRENCY, `failures ${failures.length} ≤ ${CONCURRENCY}`);
    assert.equal(failures.length, 0, `no failed requests expected; got: ${failures.map(String).join('; ')}`);
    assert.ok(retried > 0, 'requests that met the dead instance were retried on the other one');
    t.diagnostic(
      `${ok} requests, ${failures.length} failed, ${retried} retried, restarted instance back after ${rejoinMs} ms`,
    );
  } finally {
    running = false;
    await Promise.all(loops);
    await set.close();
  }
});
