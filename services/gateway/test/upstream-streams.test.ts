// Long-lived answers (a route with `stream: true`, server-sent events): each on a connection of its
// own and counted against maxStreams, so streams held open never take the keep-alive connections
// or the maxConcurrent slots that other requests need; past maxStreams a stream is refused (503).
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { type ForwardRequest, readBody } from '../src/upstream/upstream-set.ts';
import { type TestUpstream, upstreamTestbed } from './fixtures/upstream-servers.ts';

const bed = upstreamTestbed();

const GET: ForwardRequest = { method: 'GET', path: '/things', headers: {}, idempotent: true };
const STREAM: ForwardRequest = {
  method: 'GET',
  path: '/events',
  headers: {},
  idempotent: true,
  stream: true,
};

const upstreamSet = bed.svc;

/** `/events` answers headers and one event, then stays open; anything else answers at once. */
async function eventServer(): Promise<{ server: TestUpstream; open: ServerResponse[] }> {
  const open: ServerResponse[] = [];
  const server = await bed.server((req, res) => {
    if (req.url === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write('data: hello\n\n');
      open.push(res);
    } else res.end('{"ok":true}');
  });
  return { server, open };
}

test('open streams take neither the pooled connections nor maxConcurrent: other requests still go through', async () => {
  const { server, open } = await eventServer();
  const set = upstreamSet([server.url], { connections: 2, maxConcurrent: 2 });
  const streams = await Promise.all(Array.from({ length: 6 }, () => set.forward('svc', STREAM)));
  assert.deepEqual(
    streams.map((s) => s.status),
    [200, 200, 200, 200, 200, 200],
  );
  assert.equal(open.length, 6, 'six streams held open at the upstream');
  for (let i = 0; i < 5; i++) {
    const response = await set.forward('svc', GET);
    assert.equal((await readBody(response.body)).toString(), '{"ok":true}');
  }
  assert.equal(set.snapshot()[0]?.inFlight, 0, 'streams are not counted as requests in flight');
  for (const res of open) res.end();
  for (const s of streams) await readBody(s.body);
});

test('beyond maxStreams open at once a stream is refused with 503 overloaded; a closed one frees its place', async () => {
  const { server, open } = await eventServer();
  const set = upstreamSet([server.url], { maxStreams: 2 });
  const first = await set.forward('svc', STREAM);
  const second = await set.forward('svc', STREAM);
  await assert.rejects(set.forward('svc', STREAM), { kind: 'overloaded', status: 503 });
  const response = await set.forward('svc', GET); // requests are not streams
  assert.equal(response.status, 200);
  await readBody(response.body);

  open[0]?.end();
  await readBody(first.body);
  const third = await set.forward('svc', STREAM);
  assert.equal(third.status, 200);
  for (const res of open) res.end();
  await Promise.all([readBody(second.body), readBody(third.body)]);
});
