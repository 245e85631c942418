// How an upstream's answer comes back from forward(): small sized bodies whole (a Buffer, the
// exchange already over), large or unsized ones as a stream that holds the request in flight
// until it is read or destroyed; a destroyed stream frees its connection.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { BUFFERED_BODY_MAX_BYTES } from '../src/upstream/response-handler.ts';
import {
  discardBody,
  type ForwardRequest,
  readBody,
  type UpstreamSet,
} from '../src/upstream/upstream-set.ts';
import { until, upstreamTestbed } from './fixtures/upstream-servers.ts';

const bed = upstreamTestbed();

const GET: ForwardRequest = { method: 'GET', path: '/things', headers: {}, idempotent: true };
const big = Buffer.alloc(BUFFERED_BODY_MAX_BYTES + 1, 'b');

async function setFor(handler: (path: string, res: ServerResponse) => void): Promise<UpstreamSet> {
  const server = await bed.server((req, res) => handler(req.url ?? '', res));
  return bed.svc([server.url]);
}

const inFlight = (set: UpstreamSet) => set.snapshot()[0]?.inFlight;

test('a small body with a Content-Length comes whole, and the request is no longer in flight', async () => {
  const set = await setFor((_path, res) => {
    res.writeHead(201, { 'content-type': 'application/json', 'content-length': 11, 'x-a': 'b' });
    res.end('{"id":"a1"}');
  });
  const response = await set.forward('svc', GET);
  assert.equal(response.status, 201);
  assert.ok(Buffer.isBuffer(response.body));
  assert.equal(response.body.toString(), '{"id":"a1"}');
  assert.equal(response.headers['x-a'], 'b');
  assert.equal(response.headers['content-length'], '11');
  assert.equal(inFlight(set), 0);
});

test('a body over the limit, or without a length, streams and counts in flight until read', async () => {
  const set = await setFor((path, res) => {
    if (path === '/big') {
      res.writeHead(200, { 'content-length': big.length });
      res.end(big);
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part1,');
      setTimeout(() => res.end('part2'), 50);
    }
  });
  const large = await set.forward('svc', { ...GET, path: '/big' });
  assert.ok(large.body instanceof Readable);
  assert.equal(inFlight(set), 1);
  assert.deepEqual(await readBody(large.body), big);
  await until(() => inFlight(set) === 0, 1_000, 'in flight back to 0');

  const unsized = await set.forward('svc', { ...GET, path: '/chunked' });
  assert.ok(unsized.body instanceof Readable);
  assert.equal((await readBody(unsized.body)).toString(), 'part1,part2');
});

test('HEAD and 204 answers come with an empty body', async () => {
  const set = await setFor((path, res) => {
    if (path === '/none') res.writeHead(204).end();
    else res.writeHead(200, { 'content-length': big.length }).end();
  });
  const head = await set.forward('svc', { ...GET, method: 'HEAD' });
  assert.ok(Buffer.isBuffer(head.body));
  assert.equal(head.body.length, 0);
  assert.equal(head.headers['content-length'], String(big.length));
  const none = await set.forward('svc', { ...GET, path: '/none' });
  assert.equal(none.status, 204);
  assert.ok(Buffer.isBuffer(none.body) && none.body.length === 0);
  assert.equal(inFlight(set), 0);
});

test('discarding a streamed body ends the exchange; the next request is served', async () => {
  const held: ServerResponse[] = [];
  const set = await setFor((path, res) => {
    if (path === '/endless') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('never ends');
      held.push(res);
    } else res.end('{}');
  });
  const endless = await set.forward('svc', { ...GET, path: '/endless' });
  assert.equal(inFlight(set), 1);
  discardBody(endless.body);
  await until(() => inFlight(set) === 0, 1_000, 'in flight back to 0');
  const next = await set.forward('svc', GET);
  assert.equal((await readBody(next.body)).toString(), '{}');
  for (const res of held) res.destroy();
});

test('an upstream that fails mid-body fails the stream, not the process', async () => {
  const set = await setFor((_path, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('half');
    setTimeout(() => res.destroy(), 20);
  });
  const response = await set.forward('svc', GET);
  await assert.rejects(readBody(response.body));
  await until(() => inFlight(set) === 0, 1_000, 'in flight back to 0');
});
