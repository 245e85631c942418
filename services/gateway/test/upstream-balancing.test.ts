import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import type { UpstreamSpec } from '../src/routes/route-table-schema.ts';
import {
  type ForwardRequest,
  readBody,
  UpstreamError,
  type UpstreamSet,
} from '../src/upstream/upstream-set.ts';
import { deadUrl, type TestUpstream, until, upstreamTestbed } from './fixtures/upstream-servers.ts';

const bed = upstreamTestbed();

const GET: ForwardRequest = { method: 'GET', path: '/things?x=1', headers: {}, idempotent: true };

const upstreamSet = bed.set;

async function get(
  set: UpstreamSet,
  upstream: string,
  path = '/things',
): Promise<{ status: number; instance: string }> {
  const response = await set.forward(upstream, { ...GET, path });
  await readBody(response.body);
  return { status: response.status, instance: response.instance };
}

test('round robin spreads requests evenly over the instances', async () => {
  const three = await Promise.all([bed.server(), bed.server(), bed.server()]);
  const set = upstreamSet(
    { svc: three.map((s) => s.url) },
    { rr: { service: 'svc', balance: 'round_robin' } },
  );
  for (let i = 0; i < 300; i++) assert.equal((await get(set, 'rr')).status, 200);
  assert.deepEqual(
    three.map((s) => s.requests.length),
    [100, 100, 100],
  );
  assert.equal(three[0]?.requests[0]?.path, '/things');
});

test('least outstanding sends new requests to the idle instance while the other is busy', async () => {
  const held: ServerResponse[] = [];
  const handler = (req: { url?: string | undefined }, res: ServerResponse) => {
    if (req.url === '/hold') held.push(res);
    else res.end('{}');
  };
  const two = await Promise.all([bed.server(handler), bed.server(handler)]);
  const set = upstreamSet(
    { svc: two.map((s) => s.url) },
    { lor: { service: 'svc', balance: 'least_outstanding' } },
  );

  const slow = set.forward('lor', { ...GET, path: '/hold' });
  await until(() => held.length === 1, 2_000, 'the held request');
  const busy = two.find((s) => s.requests.some((r) => r.path === '/hold')) as TestUpstream;
  const idle = two.find((s) => s !== busy) as TestUpstream;

  for (let i = 0; i < 10; i++) assert.equal((await get(set, 'lor', '/fast')).instance, idle.url);
  assert.equal(busy.requests.length, 1);

  held[0]?.end('{}');
  await readBody((await slow).body);
  // Idle again: ties are broken round robin, so both share the load.
  const before = [busy.requests.length, idle.requests.length];
  for (let i = 0; i < 10; i++) await get(set, 'lor', '/fast');
  assert.equal(
    busy.requests.length - (before[0] as number) + (idle.requests.length - (before[1] as number)),
    10,
  );
  assert.equal(busy.requests.length - (before[0] as number), 5);
});

test('connections are kept alive and reused, within the configured pool size', async () => {
  const server = await bed.server();
  const set = upstreamSet({ svc: [server.url] }, { ka: { service: 'svc', connections: 4 } });
  for (let i = 0; i < 50; i++) await get(set, 'ka');
  // undici may open a second socket when a request arrives just before the first one's drain event.
  assert.ok(
    server.connections <= 2,
    `50 sequential requests reuse their connection (saw ${server.connections})`,
  );
  for (let round = 0; round < 3; round++) {
    await Promise.all(Array.from({ length: 40 }, () => get(set, 'ka')));
  }
  assert.equal(server.requests.length, 170);
  assert.ok(server.connections <= 4, `at most 4 connections, saw ${server.connections}`);
  assert.equal(set.snapshot()[0]?.inFlight, 0, 'dumped bodies no longer count as in flight');
  assert.equal(set.snapshot()[0]?.instances[0]?.inFlight, 0);
});

test('update() adds, removes and reconfigures upstreams, keeping the state of unchanged ones', async () => {
  const [a, b] = await Promise.all([bed.server(), bed.server()]);
  const dead = await deadUrl();
  const set = upstreamSet(
    { one: [(a as TestUpstream).url, dead], two: [(b as TestUpstream).url] },
    { one: { service: 'one' } },
  );
  // Eject the dead instance of `one` (the GET is retried on the live one).
  for (let i = 0; i < 2; i++) assert.equal((await get(set, 'one')).status, 200);
  const ejected = () =>
    set
      .snapshot()
      .find((u) => u.name === 'one')
      ?.instances.find((i) => i.url === dead);
  assert.ok(ejected()?.ejectedUntil, 'the dead instance is ejected');
  await assert.rejects(set.forward('two', GET), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.kind, 'unknown_upstream');
    assert.equal(err.status, 502);
    return true;
  });

  set.update(
    new Map<string, UpstreamSpec>([
      ['one', { service: 'one' }],
      ['two', { service: 'two' }],
    ]),
  );
  assert.equal((await get(set, 'two')).instance, (b as TestUpstream).url);
  assert.ok(ejected()?.ejectedUntil, 'unchanged upstream keeps its instance state');

  // A changed spec (same service, same pool settings) is applied in place: state is kept.
  set.update(
    new Map<string, UpstreamSpec>([['one', { service: 'one', balance: 'least_outstanding', retries: 2 }]]),
  );
  assert.equal(set.snapshot().find((u) => u.name === 'one')?.balance, 'least_outstanding');
  assert.ok(ejected()?.ejectedUntil, 'reconfigured upstream keeps its instance state');
  await assert.rejects(set.forward('two', GET), { kind: 'unknown_upstream' });
  assert.deepEqual(
    set.snapshot().map((u) => u.name),
    ['one'],
  );
});
