import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ForwardRequest, readBody, UpstreamError } from '../src/upstream/upstream-set.ts';
import {
  deadUrl,
  okHandler,
  type TestUpstream,
  until,
  upstreamTestbed,
} from './fixtures/upstream-servers.ts';

const bed = upstreamTestbed();

const GET: ForwardRequest = { method: 'GET', path: '/things', headers: {}, idempotent: true };
const POST: ForwardRequest = {
  method: 'POST',
  path: '/orders',
  headers: { 'content-type': 'application/json' },
  body: Buffer.from('{"sku":"A-1"}'),
  idempotent: false,
};

const upstreamSet = bed.svc;

function isUpstreamError(kind: string, status: number) {
  return (err: unknown) => {
    assert.ok(err instanceof UpstreamError, `an UpstreamError, got ${String(err)}`);
    assert.equal(err.kind, kind);
    assert.equal(err.status, status);
    assert.equal(err.upstream, 'svc');
    return true;
  };
}

test('a GET is retried on the other instance when one refuses connections, which ejects it', async () => {
  const live = await bed.server();
  const dead = await deadUrl();
  const set = upstreamSet([dead, live.url]);
  const attempts: number[] = [];
  for (let i = 0; i < 10; i++) {
    const response = await set.forward('svc', GET);
    assert.equal(response.status, 200);
    assert.equal(response.instance, live.url);
    attempts.push(response.attempts);
    await readBody(response.body);
  }
  assert.equal(
    attempts[0],
    2,
    'the first request went to the dead instance first (round robin starts there)',
  );
  assert.deepEqual(attempts.slice(1), Array(9).fill(1), 'then it is ejected and skipped');
  const dead0 = set.snapshot()[0]?.instances.find((instance) => instance.url === dead);
  assert.ok(dead0?.ejectedUntil);
  assert.match(dead0?.lastError ?? '', /connect_failed: ECONNREFUSED/);
});

test('a POST that reached an instance which then reset the connection is not retried', async () => {
  // Both instances reset: whichever gets the POST, a retry would show as a second arrival.
  const reset = (_req: unknown, res: ServerResponse) => res.socket?.destroy();
  const [a, b] = await Promise.all([bed.server(reset), bed.server(reset)]);
  const set = upstreamSet([(a as TestUpstream).url, (b as TestUpstream).url], { retries: 3 });
  await assert.rejects(set.forward('svc', POST), isUpstreamError('connection_reset', 502));
  assert.equal((a as TestUpstream).requests.length + (b as TestUpstream).requests.length, 1);

  // The same failure on a GET is retried on the other instance.
  await assert.rejects(set.forward('svc', GET), isUpstreamError('connection_reset', 502));
  const gets = [a, b].flatMap((s) => (s as TestUpstream).requests.filter((r) => r.method === 'GET'));
  assert.equal(gets.length, 2, 'one attempt per instance, never the same one twice');
  // A POST the caller declares idempotent (e.g. it carries an Idempotency-Key) is retried too.
  await assert.rejects(set.forward('svc', { ...POST, idempotent: true }), { kind: 'connection_reset' });
  assert.equal((a as TestUpstream).requests.length + (b as TestUpstream).requests.length, 5);
});

test('a POST is retried on another instance when the connection was refused (it was never sent)', async () => {
  const live = await bed.server();
  const set = upstreamSet([await deadUrl(), live.url]);
  const first = await set.forward('svc', POST);
  assert.equal(first.status, 200);
  assert.equal(first.attempts, 2);
  await readBody(first.body);
  assert.deepEqual(live.requests, [{ method: 'POST', path: '/orders' }]);
});

test('no answer within the timeout is a 504 timeout; a body that streams after the headers is not cut', async () => {
  const server = await bed.server((req, res) => {
    if (req.url === '/hang') return; // never answers
    res.writeHead(200, { 'content-type': 'text/plain' });
    let chunks = 0;
    const timer = setInterval(() => {
      res.write(`chunk${chunks}\n`);
      if (++chunks === 4) {
        clearInterval(timer);
        res.end();
      }
    }, 150);
  });
  const set = upstreamSet([server.url], { timeoutMs: 5_000 });

  const started = Date.now();
  await assert.rejects(
    set.forward('svc', { ...GET, path: '/hang', timeoutMs: 200 }),
    isUpstreamError('timeout', 504),
  );
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 190 && elapsed < 1_500, `timed out after ${elapsed} ms`);

  // 4 chunks over ~600 ms with a 200 ms timeout: the timeout only covers the wait for headers.
  const response = await set.forward('svc', { ...GET, path: '/stream', timeoutMs: 200 });
  assert.equal((await readBody(response.body)).toString(), 'chunk0\nchunk1\nchunk2\nchunk3\n');
});

test('retries are bounded: a GET to two refusing instances fails with connect_failed after both', async () => {
  const set = upstreamSet([await deadUrl(), await deadUrl()], { retries: 5 });
  const started = Date.now();
  await assert.rejects(set.forward('svc', GET), isUpstreamError('connect_failed', 502));
  assert.ok(Date.now() - started < 2_000);
  // Both are ejected now; the next call still tries the one due back first rather than failing outright.
  await assert.rejects(set.forward('svc', GET), { kind: 'connect_failed' });
  assert.equal(set.hasInstances('svc'), false);
});

test('no instances in discovery is a 503 no_instances', async () => {
  const set = upstreamSet([]);
  await assert.rejects(set.forward('svc', GET), isUpstreamError('no_instances', 503));
});

test('an instance that registers after the first lookup is used by the next request, not the next refresh', async () => {
  const services: Record<string, string[]> = { svc: [] };
  // Not started: no background refresh, so only the request itself can find the instance.
  const set = bed.set(services, { svc: { service: 'svc' } });
  await assert.rejects(set.forward('svc', GET), isUpstreamError('no_instances', 503));
  const live = await bed.server();
  services.svc = [live.url];
  await sleep(300); // past the pause between such lookups
  const res = await set.forward('svc', GET);
  assert.equal(res.status, 200);
  await readBody(res.body);
  assert.equal(live.requests.length, 1);
});

test('a caller abort rejects with the abort error and does not count against the instance', async () => {
  const server = await bed.server((req, res, upstream) => {
    if (req.url !== '/hang') okHandler(req, res, upstream);
  });
  const set = upstreamSet([server.url], { ejection: { failures: 1 } });
  const controller = new AbortController();
  const pending = set.forward('svc', { ...GET, path: '/hang', signal: controller.signal });
  await until(() => server.requests.length === 1, 2_000, 'the request to arrive');
  controller.abort();
  await assert.rejects(pending, (err: unknown) => !(err instanceof UpstreamError));
  const status = set.snapshot()[0];
  assert.equal(status?.inFlight, 0);
  assert.equal(status?.instances[0]?.ejectedUntil, undefined);
  assert.equal(status?.instances[0]?.failuresInWindow, 0);
});
