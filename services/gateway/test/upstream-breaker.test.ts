import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { Registry } from '@shopnow/chassis';
import {
  type ForwardRequest,
  readBody,
  UpstreamError,
  type UpstreamSet,
} from '../src/upstream/upstream-set.ts';
import { until, upstreamTestbed } from './fixtures/upstream-servers.ts';

const bed = upstreamTestbed();

const GET: ForwardRequest = { method: 'GET', path: '/things', headers: {}, idempotent: true };

const upstreamSet = bed.svc;

async function status(set: UpstreamSet): Promise<number> {
  const response = await set.forward('svc', GET);
  await readBody(response.body);
  return response.status;
}

test('the breaker opens after failures, fails fast, then recovers through a half-open trial', async () => {
  let mode: 'fail' | 'ok' | 'hold' = 'fail';
  const held: ServerResponse[] = [];
  const server = await bed.server((_req, res) => {
    if (mode === 'fail') res.writeHead(503).end();
    else if (mode === 'hold') held.push(res);
    else res.end('{}');
  });
  const openMs = 300;
  const metrics = new Registry();
  const set = upstreamSet(
    [server.url],
    {
      retries: 0,
      breaker: { failureRatio: 0.5, minimumCalls: 4, windowMs: 5_000, openMs },
      ejection: { failures: 1000 }, // keep passive ejection out of the picture
    },
    metrics,
  );
  const breaker = () => set.snapshot()[0]?.breaker;

  for (let i = 0; i < 4; i++) assert.equal(await status(set), 503, 'the upstream 503 is passed through');
  assert.equal(breaker(), 'open');
  assert.match(await metrics.metrics(), /gateway_upstream_breaker_state\{upstream="svc"\} 2/);
  const seen = server.requests.length;
  await assert.rejects(set.forward('svc', GET), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.kind, 'breaker_open');
    assert.equal(err.status, 503);
    return true;
  });
  assert.equal(server.requests.length, seen, 'failing fast: nothing sent');

  // A failed trial opens it again.
  await until(() => breaker() === 'half_open', openMs + 2_000, 'half-open');
  assert.equal(await status(set), 503);
  assert.equal(breaker(), 'open');

  // While the trial runs, others still fail fast; its success closes the circuit.
  mode = 'hold';
  await until(() => breaker() === 'half_open', openMs + 2_000, 'half-open again');
  const trial = set.forward('svc', GET);
  await until(() => held.length === 1, 2_000, 'the trial to arrive');
  await assert.rejects(set.forward('svc', GET), { kind: 'breaker_open' });
  mode = 'ok';
  held[0]?.end('{}');
  await readBody((await trial).body);
  assert.equal(breaker(), 'closed');
  assert.match(await metrics.metrics(), /gateway_upstream_breaker_state\{upstream="svc"\} 0/);
  for (let i = 0; i < 5; i++) assert.equal(await status(set), 200);
});

test('beyond maxConcurrent requests in flight, forward fails fast with 503 overloaded', async () => {
  const held: ServerResponse[] = [];
  const server = await bed.server((_req, res) => held.push(res));
  const set = upstreamSet([server.url], { maxConcurrent: 2 });
  const first = set.forward('svc', GET);
  const second = set.forward('svc', GET);
  await until(() => held.length === 2, 2_000, 'two requests in flight');
  await assert.rejects(set.forward('svc', GET), (err: unknown) => {
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.kind, 'overloaded');
    assert.equal(err.status, 503);
    return true;
  });
  assert.equal(server.requests.length, 2);

  // A request counts until its body is done, not just until its headers arrive.
  for (const res of held) res.writeHead(200).write('partial');
  const [a, b] = await Promise.all([first, second]);
  assert.equal(set.snapshot()[0]?.inFlight, 2);
  await assert.rejects(set.forward('svc', GET), { kind: 'overloaded' });
  for (const res of held) res.end();
  await Promise.all([readBody(a.body), readBody(b.body)]);
  await until(() => set.snapshot()[0]?.inFlight === 0, 1_000, 'in-flight back to 0');
  held.length = 0;
  const third = set.forward('svc', GET);
  await until(() => held.length === 1, 2_000, 'the next request');
  held[0]?.end('{}');
  assert.equal((await third).status, 200);
  assert.equal((await readBody((await third).body)).toString(), '{}');
});

test('metrics: attempts by outcome, durations, instance health, breaker state and in-flight', async () => {
  const server = await bed.server((req, res) => {
    if (req.url === '/missing') res.writeHead(404).end();
    else res.end('{}');
  });
  const metrics = new Registry();
  const set = upstreamSet([server.url], { maxConcurrent: 1 }, metrics);
  for (let i = 0; i < 3; i++) assert.equal(await status(set), 200);
  const missing = await set.forward('svc', { ...GET, path: '/missing' });
  await readBody(missing.body);
  const text = await metrics.metrics();
  const series = (line: string) => assert.ok(text.includes(line), `${line}\n--- in ---\n${text}`);
  series(`gateway_upstream_requests_total{upstream="svc",instance="${server.url}",outcome="2xx"} 3`);
  series(`gateway_upstream_requests_total{upstream="svc",instance="${server.url}",outcome="4xx"} 1`);
  series('gateway_upstream_request_duration_seconds_count{upstream="svc"} 4');
  series('gateway_upstream_request_duration_seconds_bucket{upstream="svc",le="+Inf"} 4');
  series(`gateway_upstream_instance_healthy{upstream="svc",instance="${server.url}"} 1`);
  series('gateway_upstream_breaker_state{upstream="svc"} 0');
  series('gateway_upstream_in_flight{upstream="svc"} 0');
});
