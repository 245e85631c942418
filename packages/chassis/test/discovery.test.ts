import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDiscovery } from '../src/discovery/create-discovery.ts';
import { DnsDiscovery } from '../src/discovery/dns-discovery.ts';
import { registerInstance } from '../src/discovery/register-instance.ts';
import { RegistryDiscovery } from '../src/discovery/registry-discovery.ts';
import { parseServiceUrls, StaticDiscovery } from '../src/discovery/static-discovery.ts';
import { startDnsServer, type TestDnsServer } from './support/dns-server.ts';
import { startRegistry, type TestRegistry } from './support/registry-server.ts';

describe('static discovery', () => {
  test('parses SERVICE_URLS into instance lists', async () => {
    const discovery = new StaticDiscovery(' product=http://a:1/|http://b:2 , cart=http://c:3');
    assert.deepEqual(await discovery.resolve('product'), ['http://a:1', 'http://b:2']);
    assert.deepEqual(await discovery.resolve('cart'), ['http://c:3']);
    assert.deepEqual(await discovery.resolve('unknown'), []);
    assert.deepEqual(parseServiceUrls(''), new Map());
  });

  test('malformed SERVICE_URLS fail at construction', () => {
    assert.throws(() => new StaticDiscovery('product'), /"product" is not name=url\|url/);
    assert.throws(() => new StaticDiscovery('product=ftp://a'), /"ftp:\/\/a" is not an http\(s\) URL/);
  });

  test('createDiscovery picks the strategy named by DISCOVERY', () => {
    assert.ok(
      createDiscovery({ DISCOVERY: 'static', SERVICE_URLS: 'a=http://x:1' }) instanceof StaticDiscovery,
    );
    assert.ok(createDiscovery({ DISCOVERY: 'dns' }) instanceof DnsDiscovery);
    assert.ok(
      createDiscovery({ DISCOVERY: 'registry', REGISTRY_URL: 'http://r:1' }) instanceof RegistryDiscovery,
    );
    assert.throws(() => createDiscovery({ DISCOVERY: 'registry' }), /REGISTRY_URL is required/);
  });
});

describe('registry discovery', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry();
  });
  after(() => registry.close());

  function seed(service: string, urls: string[]) {
    const now = new Date().toISOString();
    registry.services.set(
      service,
      new Map(
        urls.map((url, i) => [
          `i${i}`,
          { id: `i${i}`, url, ttlMs: 10_000, registeredAt: now, lastSeen: now },
        ]),
      ),
    );
  }

  test('resolves instances, shares one request between concurrent callers and caches briefly', async () => {
    seed('product', ['http://127.0.0.1:4110', 'http://127.0.0.1:4111']);
    const discovery = new RegistryDiscovery({ registryUrl: registry.url, cacheMs: 200 });
    registry.log.length = 0;
    const answers = await Promise.all([discovery.resolve('product'), discovery.resolve('product')]);
    assert.deepEqual(answers, [
      ['http://127.0.0.1:4110', 'http://127.0.0.1:4111'],
      ['http://127.0.0.1:4110', 'http://127.0.0.1:4111'],
    ]);
    await discovery.resolve('product');
    assert.deepEqual(registry.log, ['GET /registry/services/product']);

    seed('product', ['http://127.0.0.1:4111']);
    await sleep(250);
    assert.deepEqual(await discovery.resolve('product'), ['http://127.0.0.1:4111']);
    assert.equal(registry.log.length, 2);
  });

  test('serves the last good answer while the registry fails, and errors without one', async () => {
    seed('cart', ['http://127.0.0.1:4120']);
    const discovery = new RegistryDiscovery({ registryUrl: registry.url, cacheMs: 1 });
    assert.deepEqual(await discovery.resolve('cart'), ['http://127.0.0.1:4120']);
    registry.failWith = 503;
    try {
      await sleep(5);
      assert.deepEqual(await discovery.resolve('cart'), ['http://127.0.0.1:4120']);
      await assert.rejects(discovery.resolve('never-seen'), /registry answered 503/);
    } finally {
      registry.failWith = undefined;
    }
  });

  test('a fresh lookup asks the registry now, shared by concurrent callers, and caches its answer', async () => {
    seed('search', ['http://127.0.0.1:4130']);
    const discovery = new RegistryDiscovery({ registryUrl: registry.url, cacheMs: 60_000 });
    assert.deepEqual(await discovery.resolve('search'), ['http://127.0.0.1:4130']);
    seed('search', ['http://127.0.0.1:4130', 'http://127.0.0.1:4131']);
    assert.deepEqual(await discovery.resolve('search'), ['http://127.0.0.1:4130'], 'cached');
    registry.log.length = 0;
    const fresh = await Promise.all([
      discovery.resolve('search', { fresh: true }),
      discovery.resolve('search', { fresh: true }),
    ]);
    assert.deepEqual(fresh[0], ['http://127.0.0.1:4130', 'http://127.0.0.1:4131']);
    assert.deepEqual(fresh[1], fresh[0]);
    assert.deepEqual(registry.log, ['GET /registry/services/search'], 'one request for both');
    assert.deepEqual(await discovery.resolve('search'), fresh[0], 'the cache holds the fresh answer');
  });

  test('a service with no instances resolves to an empty list', async () => {
    const discovery = new RegistryDiscovery({ registryUrl: registry.url });
    assert.deepEqual(await discovery.resolve('nobody'), []);
  });

  test('"no instance yet" is not cached: a service that registers is seen at the next lookup', async () => {
    const discovery = new RegistryDiscovery({ registryUrl: registry.url, cacheMs: 60_000 });
    assert.deepEqual(await discovery.resolve('starting'), []);
    seed('starting', ['http://127.0.0.1:4190']);
    assert.deepEqual(await discovery.resolve('starting'), ['http://127.0.0.1:4190']);
    seed('starting', ['http://127.0.0.1:4191']);
    assert.deepEqual(
      await discovery.resolve('starting'),
      ['http://127.0.0.1:4190'],
      'a real answer is cached',
    );
  });
});

describe('dns discovery', () => {
  let dns: TestDnsServer;
  before(async () => {
    dns = await startDnsServer({ 'product.shop.svc.cluster.local': ['10.0.0.7', '10.0.0.8'] });
  });
  after(() => dns.close());

  test('resolves <service>.<suffix> to http://ip:port for every A record, cached', async () => {
    const discovery = new DnsDiscovery({
      suffix: 'shop.svc.cluster.local',
      port: 8080,
      servers: [dns.address],
    });
    try {
      const urls = await discovery.resolve('product');
      assert.deepEqual(urls.sort(), ['http://10.0.0.7:8080', 'http://10.0.0.8:8080']);
      await discovery.resolve('product');
      assert.equal(dns.queries.filter((q) => q.startsWith('product.')).length, 1);
    } finally {
      discovery.close();
    }
  });

  test('a name that does not exist is an empty list', async () => {
    const discovery = new DnsDiscovery({ suffix: 'shop.svc.cluster.local', servers: [dns.address] });
    try {
      assert.deepEqual(await discovery.resolve('ghost'), []);
    } finally {
      discovery.close();
    }
  });
});

describe('registerInstance', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry();
  });
  after(() => registry.close());

  const options = () => ({
    registryUrl: registry.url,
    service: 'product',
    instanceId: 'product-1',
    url: 'http://127.0.0.1:4110',
    ttlMs: 300,
  });

  test('registers, renews the lease every ttl/3, and deregisters on stop', async () => {
    registry.log.length = 0;
    const registration = await registerInstance(options());
    try {
      assert.equal(registry.services.get('product')?.get('product-1')?.url, 'http://127.0.0.1:4110');
      // Every 100 ms on a quiet machine; a loaded one may delay timers, so allow several periods.
      const deadline = Date.now() + 3000;
      const putCount = () => registry.log.filter((line) => line.startsWith('PUT')).length;
      while (putCount() < 3 && Date.now() < deadline) await sleep(25);
      const puts = putCount();
      assert.ok(puts >= 3, `expected heartbeats, saw ${puts} PUTs`);
    } finally {
      await registration.stop(); // a failed assertion must not leave heartbeats running into the next test
    }
    assert.equal(registry.services.get('product')?.has('product-1'), false);
    const afterStop = registry.log.length;
    await sleep(250);
    assert.equal(registry.log.length, afterStop, 'heartbeats continued after stop()');
    assert.equal(registry.log.at(-1), 'DELETE /registry/services/product/instances/product-1');
  });

  test('a heartbeat re-registers an instance the registry forgot, after logging the failures', async () => {
    const warnings: unknown[] = [];
    const registration = await registerInstance({
      ...options(),
      logger: { info() {}, warn: (...args: unknown[]) => warnings.push(args) },
    });
    try {
      registry.failWith = 500;
      registry.services.get('product')?.delete('product-1'); // e.g. the launcher restarted
      await sleep(250);
      assert.ok(warnings.length >= 1, 'failed heartbeats were not logged');
      registry.failWith = undefined;
      await sleep(250);
      assert.ok(registry.services.get('product')?.has('product-1'), 'the instance did not come back');
    } finally {
      registry.failWith = undefined;
      await registration.stop();
    }
  });

  test('the first registration must succeed: three failed tries, each logged, fail it', async () => {
    const warnings: Array<{ attempt: number; timeoutMs: number }> = [];
    registry.failWith = 503;
    registry.log.length = 0;
    try {
      await assert.rejects(
        registerInstance({
          ...options(),
          retryPauseMs: 10,
          logger: {
            info() {},
            warn: (fields: { attempt: number; timeoutMs: number }) => warnings.push(fields),
          },
        }),
        /registry answered 503/,
      );
    } finally {
      registry.failWith = undefined;
    }
    assert.equal(registry.log.filter((line) => line.startsWith('PUT')).length, 3);
    assert.deepEqual(
      warnings.map((w) => [w.attempt, w.timeoutMs]),
      [
        [1, 2_000],
        [2, 4_000],
        [3, 8_000],
      ],
    );
    await sleep(150);
    assert.equal(registry.log.length, 3, 'no heartbeat after a failed start');
  });
});

/**
 * A registry under load: a real HTTP server whose answer to the nth PUT (a registration) is
 * `lateMs(n)` late, and whose first `drop` PUTs lose their connection unanswered. Counts the PUTs.
 */
async function startSlowRegistry(behaviour: { lateMs?: (put: number) => number; drop?: number }) {
  const registered = new Set<string>();
  let puts = 0;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    for await (const _ of req); // the body
    if (req.method !== 'PUT') {
      res.writeHead(204).end();
      return;
    }
    puts += 1;
    if (puts <= (behaviour.drop ?? 0)) {
      req.socket.destroy();
      return;
    }
    await sleep(behaviour.lateMs?.(puts) ?? 0);
    registered.add(req.url ?? '');
    if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    registered,
    puts: () => puts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('registerInstance against a slow registry', () => {
  const instance = (registryUrl: string) => ({
    registryUrl,
    service: 'product',
    instanceId: 'product-1',
    url: 'http://127.0.0.1:4110',
    ttlMs: 3_000,
  });
  const INSTANCE_PATH = '/registry/services/product/instances/product-1';
  const warningsOf = (warnings: Array<{ attempt: number; timeoutMs: number }>) =>
    warnings.map((w) => [w.attempt, w.timeoutMs]);

  test('a registry slower than the first budget is waited for by the next, longer one', async () => {
    // Every answer takes 150 ms: 100 ms is too short, 200 ms is enough.
    const slow = await startSlowRegistry({ lateMs: () => 150 });
    const warnings: Array<{ attempt: number; timeoutMs: number }> = [];
    try {
      const registration = await registerInstance({
        ...instance(slow.url),
        firstAttemptTimeoutsMs: [100, 200, 400],
        retryPauseMs: 10,
        logger: {
          info() {},
          warn: (fields: { attempt: number; timeoutMs: number }) => warnings.push(fields),
        },
      });
      await registration.stop();
      assert.equal(slow.puts(), 2);
      assert.deepEqual(warningsOf(warnings), [[1, 100]]);
      assert.ok(slow.registered.has(INSTANCE_PATH));
    } finally {
      await slow.close();
    }
  });

  test('first attempts whose connection drops are tried again', async () => {
    const flaky = await startSlowRegistry({ drop: 2 });
    const warnings: Array<{ attempt: number; timeoutMs: number }> = [];
    try {
      const registration = await registerInstance({
        ...instance(flaky.url),
        firstAttemptTimeoutsMs: [100, 200, 400],
        retryPauseMs: 10,
        logger: {
          info() {},
          warn: (fields: { attempt: number; timeoutMs: number }) => warnings.push(fields),
        },
      });
      await registration.stop();
      assert.equal(flaky.puts(), 3);
      assert.deepEqual(warningsOf(warnings), [
        [1, 100],
        [2, 200],
      ]);
      assert.ok(flaky.registered.has(INSTANCE_PATH));
    } finally {
      await flaky.close();
    }
  });

  test('a registry that never answers in time fails the start after the three budgets', async () => {
    const stuck = await startSlowRegistry({ lateMs: () => 1_000 });
    const warnings: Array<{ attempt: number; timeoutMs: number }> = [];
    const started = Date.now();
    try {
      await assert.rejects(
        registerInstance({
          ...instance(stuck.url),
          firstAttemptTimeoutsMs: [50, 100, 150],
          retryPauseMs: 10,
          logger: {
            info() {},
            warn: (fields: { attempt: number; timeoutMs: number }) => warnings.push(fields),
          },
        }),
        { name: 'TimeoutError' },
      );
      assert.ok(Date.now() - started >= 300, 'every budget was used in full');
      assert.equal(stuck.puts(), 3);
      assert.deepEqual(warningsOf(warnings), [
        [1, 50],
        [2, 100],
        [3, 150],
      ]);
    } finally {
      await stuck.close();
    }
  });

  test('by default the first try waits 2 s, then a second one is made', async () => {
    // Only the first answer is late (2.3 s): the default first budget (2 s) runs out before it.
    const slow = await startSlowRegistry({ lateMs: (put) => (put === 1 ? 2_300 : 0) });
    const warnings: Array<{ attempt: number; timeoutMs: number }> = [];
    const started = Date.now();
    try {
      const registration = await registerInstance({
        ...instance(slow.url),
        logger: {
          info() {},
          warn: (fields: { attempt: number; timeoutMs: number }) => warnings.push(fields),
        },
      });
      const took = Date.now() - started;
      await registration.stop();
      assert.deepEqual(warningsOf(warnings), [[1, 2_000]]);
      assert.equal(slow.puts(), 2);
      assert.ok(took >= 2_000 && took < 2_300 + 500, `registered after ${took} ms`);
    } finally {
      await slow.close();
    }
  });
});
