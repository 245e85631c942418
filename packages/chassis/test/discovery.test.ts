import assert from 'node:assert/strict';
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
    assert.equal(registry.services.get('product')?.get('product-1')?.url, 'http://127.0.0.1:4110');
    await sleep(350);
    const puts = registry.log.filter((line) => line.startsWith('PUT')).length;
    assert.ok(puts >= 2, `expected heartbeats, saw ${puts} PUTs`);

    await registration.stop();
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

  test('the first registration must succeed', async () => {
    registry.failWith = 503;
    try {
      await assert.rejects(registerInstance(options()), /registry answered 503/);
    } finally {
      registry.failWith = undefined;
    }
  });
});
