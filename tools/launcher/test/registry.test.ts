import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { close, createControlServer, listen } from '../src/registry/control-server.ts';
import { startHealthChecker } from '../src/registry/health-checker.ts';
import { InstanceRegistry, type RegistryEvent } from '../src/registry/registry.ts';
import { eventually } from './helpers.ts';

// The registry exactly as the chassis's discovery client meets it: over real HTTP.

const json = { 'content-type': 'application/json' };

describe('registry HTTP API', () => {
  const events: RegistryEvent[] = [];
  const registry = new InstanceRegistry({ onEvent: (e) => events.push(e) });
  let server: Server;
  let base: string;
  let checker: { stop(): void };
  // A service whose readiness the test switches on and off.
  let ready = true;
  let target: Server;
  let targetUrl: string;

  before(async () => {
    server = createControlServer({ registry, status: async () => ({ ok: true }) });
    base = `http://127.0.0.1:${await listen(server, 0)}`;
    target = createServer((req, res) => {
      res.writeHead(req.url === '/health/ready' && ready ? 200 : 503).end();
    });
    targetUrl = `http://127.0.0.1:${await listen(target, 0)}`;
    checker = startHealthChecker(registry, { intervalMs: 100, timeoutMs: 500 });
  });

  after(async () => {
    checker.stop();
    await close(server);
    await close(target);
  });

  const put = (service: string, id: string, body: unknown) =>
    fetch(`${base}/registry/services/${service}/instances/${id}`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify(body),
    });
  const instancesOf = async (service: string) =>
    (
      (await (await fetch(`${base}/registry/services/${service}`)).json()) as {
        instances: Array<{ id: string }>;
      }
    ).instances;

  it('registers an instance and lists it per service and for all services', async () => {
    const res = await put('catalog', 'catalog-1', { url: targetUrl, ttlMs: 5000 });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.url, targetUrl);
    assert.equal(body.ttlMs, 5000);

    const one = (await (await fetch(`${base}/registry/services/catalog`)).json()) as {
      service: string;
      instances: Array<Record<string, string>>;
    };
    assert.equal(one.service, 'catalog');
    assert.equal(one.instances.length, 1);
    const [instance] = one.instances;
    assert.equal(instance?.id, 'catalog-1');
    assert.equal(instance?.url, targetUrl);
    assert.ok(!Number.isNaN(Date.parse(instance?.registeredAt ?? '')));
    assert.ok(!Number.isNaN(Date.parse(instance?.lastSeen ?? '')));

    const all = (await (await fetch(`${base}/registry/services`)).json()) as {
      services: Record<string, unknown[]>;
    };
    assert.equal(all.services.catalog?.length, 1);
    assert.deepEqual(await instancesOf('nobody'), [], 'an unknown service has no instances, not a 404');
  });

  it('deregisters on DELETE with 204, and DELETE is idempotent', async () => {
    await put('cart', 'cart-1', { url: targetUrl, ttlMs: 5000 });
    const first = await fetch(`${base}/registry/services/cart/instances/cart-1`, { method: 'DELETE' });
    assert.equal(first.status, 204);
    assert.deepEqual(await instancesOf('cart'), []);
    const again = await fetch(`${base}/registry/services/cart/instances/cart-1`, { method: 'DELETE' });
    assert.equal(again.status, 204);
  });

  it('drops an instance whose lease runs out without a heartbeat', async () => {
    await put('lapsing', 'lapsing-1', { url: targetUrl, ttlMs: 300 });
    assert.equal((await instancesOf('lapsing')).length, 1);
    await eventually(async () => (await instancesOf('lapsing')).length === 0 || undefined, {
      timeoutMs: 2000,
      what: 'the lease to expire',
    });
    assert.ok(events.some((e) => e.type === 'expired' && e.id === 'lapsing-1'));
  });

  it('keeps an instance whose heartbeat renews the lease', async () => {
    const started = Date.now();
    await put('steady', 'steady-1', { url: targetUrl, ttlMs: 300 });
    while (Date.now() - started < 1200) {
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await put('steady', 'steady-1', { url: targetUrl, ttlMs: 300 })).status, 200);
      assert.equal((await instancesOf('steady')).length, 1, 'renewed lease must keep it listed');
    }
    const body = (await (await fetch(`${base}/registry/services/steady`)).json()) as {
      instances: Array<Record<string, string>>;
    };
    const instance = body.instances[0];
    assert.ok(Date.parse(instance!.lastSeen!) > Date.parse(instance!.registeredAt!), 'lastSeen advances');
  });

  it('drops an instance that fails its health check and restores it once it passes', async () => {
    await put('flaky', 'flaky-1', { url: targetUrl, ttlMs: 60_000 });
    ready = false;
    try {
      await eventually(async () => (await instancesOf('flaky')).length === 0 || undefined, {
        timeoutMs: 2000,
        what: 'the failing instance to be dropped',
      });
      assert.ok(events.some((e) => e.type === 'unhealthy' && e.id === 'flaky-1'));
      // A heartbeat alone does not bring back an instance that fails its check.
      await put('flaky', 'flaky-1', { url: targetUrl, ttlMs: 60_000 });
      assert.deepEqual(await instancesOf('flaky'), []);
    } finally {
      ready = true;
    }
    await eventually(async () => (await instancesOf('flaky')).length === 1 || undefined, {
      timeoutMs: 2000,
      what: 'the recovered instance to come back',
    });
  });

  it('drops an instance whose address stops answering at all', async () => {
    const dead = createServer((_req, res) => res.writeHead(200).end());
    const deadUrl = `http://127.0.0.1:${await listen(dead, 0)}`;
    await put('gone', 'gone-1', { url: deadUrl, ttlMs: 60_000 });
    await close(dead);
    await eventually(async () => (await instancesOf('gone')).length === 0 || undefined, {
      timeoutMs: 2000,
      what: 'the unreachable instance to be dropped',
    });
  });

  it('refuses bad registrations with problem+json', async () => {
    const cases: Array<[string, RequestInit, number, string]> = [
      ['not json', { method: 'PUT', headers: json, body: '{' }, 400, 'invalid_json'],
      ['no url', { method: 'PUT', headers: json, body: '{"ttlMs":1000}' }, 400, 'validation_failed'],
      ['ftp url', { method: 'PUT', headers: json, body: '{"url":"ftp://x"}' }, 400, 'validation_failed'],
      [
        'ttl too small',
        { method: 'PUT', headers: json, body: `{"url":"${targetUrl}","ttlMs":1}` },
        400,
        'validation_failed',
      ],
      [
        'unknown field',
        { method: 'PUT', headers: json, body: `{"url":"${targetUrl}","x":1}` },
        400,
        'validation_failed',
      ],
      [
        'text body',
        { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'x' },
        415,
        'unsupported_media_type',
      ],
      ['huge body', { method: 'PUT', headers: json, body: 'x'.repeat(100_000) }, 413, 'body_too_large'],
    ];
    for (const [name, init, status, code] of cases) {
      const res = await fetch(`${base}/registry/services/svc/instances/svc-1`, init);
      assert.equal(res.status, status, name);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/, name);
      const problem = (await res.json()) as { code: string; type: string };
      assert.equal(problem.code, code, name);
      assert.equal(problem.type, `urn:shopnow:problem:${code}`, name);
    }
    const badName = await fetch(`${base}/registry/services/${encodeURIComponent('a b')}/instances/x`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ url: targetUrl }),
    });
    assert.equal(badName.status, 400);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    assert.equal((await fetch(`${base}/registry/services`, { method: 'POST' })).status, 405);
    assert.deepEqual(await instancesOf('svc'), []);
  });

  it('serves the status document', async () => {
    const res = await fetch(`${base}/status`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
  });
});
