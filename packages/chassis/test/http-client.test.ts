import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@shopnow/testkit';
import { runWithRequestContext } from '../src/context.ts';
import { StaticDiscovery } from '../src/discovery/static-discovery.ts';
import {
  createServiceClient,
  type ServiceClient,
  type ServiceClientOptions,
} from '../src/http-client/service-client.ts';
import { timeoutSignal } from '../src/http-client/timeout-signal.ts';
import { UpstreamError } from '../src/http-client/upstream-error.ts';
import { json, startServer, type TestServer } from './support/http-server.ts';

const servers: TestServer[] = [];
const clients: ServiceClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const started = await startServer(handler);
  servers.push(started);
  return started;
}

async function deadUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`; // nothing listens there
}

function client(urls: string[], options: Partial<ServiceClientOptions> = {}): ServiceClient {
  const created = createServiceClient({
    service: 'product',
    discovery: new StaticDiscovery(`product=${urls.join('|')}`),
    backoff: { initialMs: 5, maxMs: 20 },
    ...options,
  });
  clients.push(created);
  return created;
}

function upstreamFailure(failure: UpstreamError['failure'], status: number) {
  return (err: unknown) => err instanceof UpstreamError && err.failure === failure && err.status === status;
}

test('sends query, JSON body and headers, and parses a JSON answer', async () => {
  const upstream = await server((req, res, body) => json(res, 201, { got: JSON.parse(body), url: req.url }));
  const response = await client([upstream.url]).request({
    method: 'POST',
    path: '/products',
    query: { tag: ['a', 'b'], limit: 5, skip: undefined },
    headers: { 'X-Custom': 'yes' },
    body: { name: 'lamp' },
  });
  assert.equal(response.status, 201);
  assert.deepEqual(response.body, { got: { name: 'lamp' }, url: '/products?tag=a&tag=b&limit=5' });
  const [received] = upstream.received;
  assert.equal(received?.headers['content-type'], 'application/json');
  assert.equal(received?.headers['x-custom'], 'yes');
});

test('propagates x-request-id and traceparent from the request context', async () => {
  const upstream = await server((_req, res) => res.end('ok'));
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const response = await runWithRequestContext({ requestId: 'req-123', traceparent }, () =>
    client([upstream.url]).request({ method: 'GET', path: '/' }),
  );
  assert.equal(response.body, 'ok');
  assert.equal(upstream.received[0]?.headers['x-request-id'], 'req-123');
  assert.equal(upstream.received[0]?.headers.traceparent, traceparent);
});

test('balances round robin over two instances', async () => {
  const a = await server((_req, res) => res.end('a'));
  const b = await server((_req, res) => res.end('b'));
  const product = client([a.url, b.url]);
  for (let i = 0; i < 10; i++) await product.request({ method: 'GET', path: '/' });
  assert.equal(a.received.length, 5);
  assert.equal(b.received.length, 5);
});

test('a call that gets no answer in time fails with a timeout (504) within its budget', async () => {
  const hung = await server(() => {}); // never answers
  const started = Date.now();
  await assert.rejects(
    client([hung.url]).request({ method: 'GET', path: '/slow', timeoutMs: 200 }),
    upstreamFailure('timeout', 504),
  );
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 190 && elapsed < 1000, `took ${elapsed} ms`);
});

test('idempotent calls are retried on 502/503/504 and succeed', async () => {
  let calls = 0;
  const flaky = await server((_req, res) =>
    ++calls < 3 ? json(res, 503, {}) : json(res, 200, { ok: true }),
  );
  const response = await client([flaky.url], { retries: 2 }).request({ method: 'GET', path: '/' });
  assert.equal(response.status, 200);
  assert.equal(flaky.received.length, 3);
});

test('a POST is not retried after it may have reached the service', async () => {
  const unavailable = await server((_req, res) => json(res, 503, {}));
  const response = await client([unavailable.url]).request({ method: 'POST', path: '/orders', body: {} });
  assert.equal(response.status, 503);
  assert.equal(unavailable.received.length, 1);

  const resetting = await server((req) => req.socket.destroy());
  await assert.rejects(
    client([resetting.url]).request({ method: 'POST', path: '/orders', body: {} }),
    upstreamFailure('connection_failed', 503),
  );
  assert.equal(resetting.received.length, 1);
});

test('a broken connection is retried for GET, and for a POST declared idempotent', async () => {
  let calls = 0;
  const resetOnce = await server((req, res) => (++calls === 1 ? req.socket.destroy() : res.end('ok')));
  assert.equal((await client([resetOnce.url]).request({ method: 'GET', path: '/' })).body, 'ok');
  calls = 0;
  const post = await client([resetOnce.url]).request({
    method: 'POST',
    path: '/',
    body: {},
    idempotent: true,
  });
  assert.equal(post.body, 'ok');
});

test('a POST whose connection never opened is retried on another instance, which takes all traffic', async () => {
  const dead = await deadUrl();
  const live = await server((_req, res) => json(res, 201, { ok: true }));
  const product = client([dead, live.url], { retries: 1 });
  for (let i = 0; i < 6; i++) {
    const response = await product.request({ method: 'POST', path: '/orders', body: { i } });
    assert.equal(response.status, 201);
  }
  assert.equal(live.received.length, 6, 'each POST reached the live instance exactly once');
});

test('an instance failing repeatedly is ejected while the other keeps serving', async () => {
  const broken = await server((_req, res) => json(res, 500, {}));
  const healthy = await server((_req, res) => json(res, 200, {}));
  const product = client([broken.url, healthy.url], {
    breaker: false,
    retries: 0,
    ejection: { consecutiveFailures: 2, durationMs: 60_000 },
  });
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await product.request({ method: 'GET', path: '/' })).status);
  assert.equal(broken.received.length, 2, 'the broken instance kept getting traffic');
  assert.equal(statuses.filter((status) => status === 200).length, 10);
});

test('an attempt timeout lets a call escape a hung instance to a healthy one', async () => {
  const hung = await server(() => {});
  const healthy = await server((_req, res) => res.end('ok'));
  const product = client([hung.url, healthy.url], { attemptTimeoutMs: 100, timeoutMs: 3_000 });
  for (let i = 0; i < 2; i++) assert.equal((await product.request({ method: 'GET', path: '/' })).body, 'ok');
});

test('the circuit opens after consecutive failures, fails fast, then half-opens and closes', async () => {
  let failing = true;
  const upstream = await server((_req, res) => json(res, failing ? 500 : 200, {}));
  const product = client([upstream.url], {
    retries: 0,
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: 300 },
    ejection: { consecutiveFailures: 100 },
  });
  for (let i = 0; i < 3; i++) assert.equal((await product.request({ method: 'GET', path: '/' })).status, 500);
  await assert.rejects(product.request({ method: 'GET', path: '/' }), upstreamFailure('circuit_open', 503));
  assert.equal(upstream.received.length, 3, 'an open circuit still sent the request');

  failing = false;
  await sleep(350);
  assert.equal((await product.request({ method: 'GET', path: '/' })).status, 200); // the half-open trial
  assert.equal((await product.request({ method: 'GET', path: '/' })).status, 200);
  assert.equal(upstream.received.length, 5);
});

test('the bulkhead rejects calls beyond the concurrency limit at once', async () => {
  const held: Array<() => void> = [];
  const upstream = await server((_req, res) => {
    held.push(() => res.end('done'));
  });
  const product = client([upstream.url], { maxConcurrent: 2 });
  const first = [
    product.request({ method: 'GET', path: '/1' }),
    product.request({ method: 'GET', path: '/2' }),
  ];
  while (held.length < 2) await sleep(5);
  await assert.rejects(product.request({ method: 'GET', path: '/3' }), upstreamFailure('bulkhead_full', 503));
  for (const release of held.splice(0)) release();
  assert.deepEqual(
    (await Promise.all(first)).map((r) => r.body),
    ['done', 'done'],
  );

  const afterwards = product.request({ method: 'GET', path: '/4' }); // slots are free again
  while (held.length < 1) await sleep(5);
  held.shift()?.();
  assert.equal((await afterwards).body, 'done');
});

test('a service with no instances fails with no_instances (503)', async () => {
  const product = createServiceClient({
    service: 'product',
    discovery: new StaticDiscovery(''),
    timeoutMs: 300,
  });
  clients.push(product);
  await assert.rejects(product.request({ method: 'GET', path: '/' }), upstreamFailure('no_instances', 503));
});

test('calls while no instance is known do not open the circuit: the first instance is used at once', async () => {
  const upstream = await server((_req, res) => json(res, 200, { ok: true }));
  let urls: string[] = [];
  const product = createServiceClient({
    service: 'product',
    discovery: { resolve: async () => urls, close: () => {} },
    retries: 0,
    breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 },
  });
  clients.push(product);
  for (let i = 0; i < 5; i++) {
    await assert.rejects(product.request({ method: 'GET', path: '/' }), upstreamFailure('no_instances', 503));
  }
  urls = [upstream.url];
  assert.equal((await product.request({ method: 'GET', path: '/' })).status, 200);
});

test('a call budget aborts with a TimeoutError when it runs out, and never once cleared', async () => {
  const runsOut = timeoutSignal(20);
  const cleared = timeoutSignal(20);
  cleared.clear();
  await sleep(60);
  assert.equal(runsOut.signal.aborted, true);
  assert.equal((runsOut.signal.reason as DOMException).name, 'TimeoutError');
  assert.equal(cleared.signal.aborted, false);
});
