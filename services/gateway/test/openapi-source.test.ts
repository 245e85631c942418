// OpenApiSource against real HTTP upstreams (tiny node:http servers): parallel fetches, each
// service's failure isolated (error status, hang past the timeout, not a document), caching per
// table version and TTL, concurrent callers sharing one build.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { OpenApiSource } from '../src/openapi/openapi-source.ts';
import type { OpenApiDocument } from '../src/openapi/openapi-types.ts';
import type { RouteSpec } from '../src/routes/route-table-schema.ts';
import { operation, route, upstreamsFor } from './openapi-helpers.ts';

type Behaviour = 'ok' | 'error' | 'hang' | 'garbage';

/** One fake service: serves a one-path document, or fails the way `behaviour` says. */
class FakeService {
  behaviour: Behaviour = 'ok';
  requests = 0;
  server: Server;
  url = '';
  readonly name: string;
  constructor(name: string) {
    this.name = name;
    this.server = createServer((_req, res) => {
      this.requests++;
      if (this.behaviour === 'hang') return; // never answers
      if (this.behaviour === 'error') {
        res.writeHead(500).end();
        return;
      }
      const body = this.behaviour === 'garbage' ? { hello: 'world' } : this.document();
      // A little latency, so parallel fetches overlap measurably.
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
        50,
      );
    });
  }
  document(): OpenApiDocument {
    return {
      openapi: '3.1.0',
      info: { title: this.name, version: '1' },
      paths: {
        [`/${this.name}/{id}`]: { get: { responses: { '200': { description: `one ${this.name}` } } } },
      },
    };
  }
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const product = new FakeService('product');
const cart = new FakeService('cart');
const users = new FakeService('users');
const fakes = new Map([product, cart, users].map((s) => [s.name, s]));

const routes: RouteSpec[] = ['product', 'cart', 'users'].map((name) =>
  route({ name, match: { path: `/api/${name}/**` }, rewrite: `/${name}/**`, upstream: name }),
);
const upstreams = upstreamsFor('product', 'cart', 'users');

interface Harness {
  source: OpenApiSource;
  warnings: Array<Record<string, unknown>>;
  clock: { now: number };
  inFlight: { now: number; max: number };
}

function harness(options: { ttlMs?: number; incompleteTtlMs?: number } = {}): Harness {
  const warnings: Array<Record<string, unknown>> = [];
  const clock = { now: 1_000_000 };
  const inFlight = { now: 0, max: 0 };
  const source = new OpenApiSource({
    fetchDocument: async (service, signal) => {
      inFlight.now++;
      inFlight.max = Math.max(inFlight.max, inFlight.now);
      try {
        const response = await request(`${fakes.get(service)?.url}/openapi.json`, { signal });
        if (response.statusCode !== 200) {
          await response.body.dump();
          throw new Error(`status ${response.statusCode}`);
        }
        return (await response.body.json()) as OpenApiDocument;
      } finally {
        inFlight.now--;
      }
    },
    logger: { warn: (fields) => warnings.push(fields as Record<string, unknown>) },
    fetchTimeoutMs: 300,
    now: () => clock.now,
    ...options,
  });
  return { source, warnings, clock, inFlight };
}

function reset(): void {
  for (const fake of fakes.values()) {
    fake.behaviour = 'ok';
    fake.requests = 0;
  }
}

const requests = () => [product.requests, cart.requests, users.requests];

describe('OpenApiSource', () => {
  before(async () => {
    await Promise.all([...fakes.values()].map((f) => f.start()));
  });
  after(async () => {
    await Promise.all([...fakes.values()].map((f) => f.stop()));
  });

  test('fetches in parallel; a failing, hanging or bogus service only marks its own routes unavailable', async () => {
    reset();
    const { source, warnings, inFlight } = harness();
    cart.behaviour = 'error';
    users.behaviour = 'hang';
    const started = performance.now();
    const doc = await source.document({ routes, upstreams, version: 1 });
    const elapsed = performance.now() - started;

    assert.equal(inFlight.max, 3, 'all three fetched at once');
    assert.ok(elapsed < 2_000, `bounded by the fetch timeout, took ${elapsed} ms`);
    assert.equal(operation(doc, 'get', '/api/product/{id}').description, 'Public: no authentication needed.');
    assert.equal(operation(doc, 'get', '/api/cart')['x-unavailable'], true);
    assert.equal(operation(doc, 'get', '/api/users')['x-unavailable'], true);
    assert.deepEqual(warnings.map((w) => w.upstream_service).sort(), ['cart', 'users']);

    reset();
    product.behaviour = 'garbage';
    const { source: other, warnings: otherWarnings } = harness();
    const bogus = await other.document({ routes, upstreams, version: 1 });
    assert.equal(operation(bogus, 'get', '/api/product')['x-unavailable'], true);
    assert.match(String(otherWarnings[0]?.err), /not an OpenAPI document/);
  });

  test('caches per table version for ttlMs; concurrent callers share one build', async () => {
    reset();
    const { source, clock } = harness({ ttlMs: 60_000 });
    const docs = await Promise.all(
      Array.from({ length: 10 }, () => source.document({ routes, upstreams, version: 'a' })),
    );
    assert.deepEqual(requests(), [1, 1, 1]);
    assert.ok(docs.every((d) => d === docs[0]));

    clock.now += 59_999;
    assert.equal(await source.document({ routes, upstreams, version: 'a' }), docs[0]);
    assert.deepEqual(requests(), [1, 1, 1]);

    // A reloaded table (new version) is a new document at once.
    const reloaded = await source.document({ routes: routes.slice(0, 1), upstreams, version: 'b' });
    assert.deepEqual(requests(), [2, 1, 1]);
    assert.equal(reloaded.paths?.['/api/cart'], undefined);

    clock.now += 60_000;
    await source.document({ routes, upstreams, version: 'b' });
    assert.deepEqual(requests(), [3, 2, 2]);
  });

  test('a document missing a service is kept only briefly, so the service is asked again soon', async () => {
    reset();
    const { source, clock } = harness({ ttlMs: 60_000, incompleteTtlMs: 5_000 });
    cart.behaviour = 'error';
    const first = await source.document({ routes, upstreams, version: 1 });
    assert.equal(operation(first, 'get', '/api/cart')['x-unavailable'], true);

    cart.behaviour = 'ok';
    clock.now += 4_999;
    assert.equal(await source.document({ routes, upstreams, version: 1 }), first);
    clock.now += 1;
    const second = await source.document({ routes, upstreams, version: 1 });
    assert.equal(operation(second, 'get', '/api/cart/{id}').description, 'Public: no authentication needed.');
    assert.deepEqual(requests(), [2, 2, 2]);

    source.invalidate();
    await source.document({ routes, upstreams, version: 1 });
    assert.deepEqual(requests(), [3, 3, 3]);
  });
});
