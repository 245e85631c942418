import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from 'typebox';
import { createApp } from '../src/app.ts';
import { getRequestContext } from '../src/context.ts';
import { DEFAULT_SECURITY_HEADERS } from '../src/security.ts';
import { captureLogs } from './support/log-capture.ts';

const UUID = /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/;

async function newApp(options: Partial<Parameters<typeof createApp>[0]> = {}) {
  return createApp({ service: 'app-test', version: '0.1.0', logStream: captureLogs().stream, ...options });
}

test('a well-formed X-Request-ID is kept and echoed; a missing or malformed one is replaced', async () => {
  const app = await newApp();
  app.get('/id', async (request) => ({ id: request.id }));
  try {
    const kept = await app.inject({ url: '/id', headers: { 'x-request-id': 'edge-7f3a:01.b_c' } });
    assert.equal(kept.headers['x-request-id'], 'edge-7f3a:01.b_c');
    assert.equal(kept.json().id, 'edge-7f3a:01.b_c');

    const made = await app.inject({ url: '/id' });
    assert.match(String(made.headers['x-request-id']), UUID);

    for (const bad of ['has space', 'x'.repeat(129), 'quote"s', '<script>', '']) {
      const res = await app.inject({ url: '/id', headers: { 'x-request-id': bad } });
      assert.match(String(res.headers['x-request-id']), UUID, `accepted ${JSON.stringify(bad)}`);
    }
  } finally {
    await app.close();
  }
});

test('every response carries the security headers, errors and 404s included', async () => {
  const app = await newApp();
  app.get('/ok', async () => ({}));
  try {
    for (const url of ['/ok', '/missing', '/health/live']) {
      const res = await app.inject({ url });
      for (const [name, value] of Object.entries(DEFAULT_SECURITY_HEADERS)) {
        assert.equal(res.headers[name], value, `${name} on ${url}`);
      }
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-powered-by'], undefined);
    }
  } finally {
    await app.close();
  }
});

test('security headers can be overridden or dropped per app', async () => {
  const app = await newApp({
    securityHeaders: { 'Cross-Origin-Resource-Policy': 'cross-origin', 'Strict-Transport-Security': false },
  });
  try {
    const res = await app.inject({ url: '/health/live' });
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(res.headers['strict-transport-security'], undefined);
  } finally {
    await app.close();
  }
});

test('handlers run inside the request context, also after an async body parse', async () => {
  const app = await newApp();
  app.post('/ctx', { schema: { body: Type.Object({ n: Type.Integer() }) } }, async (request) => {
    await sleep(5);
    return { id: request.id, ctx: getRequestContext() };
  });
  try {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const server = await app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${server}/ctx`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'ctx-1', traceparent },
      body: JSON.stringify({ n: 1 }),
    });
    assert.deepEqual(await res.json(), { id: 'ctx-1', ctx: { requestId: 'ctx-1', traceparent } });
    const noTrace = await app.inject({
      method: 'POST',
      url: '/ctx',
      headers: { traceparent: 'garbage' },
      payload: { n: 1 },
    });
    assert.deepEqual(noTrace.json().ctx, { requestId: noTrace.json().id });
  } finally {
    await app.close();
  }
});

test('a path parameter longer than maxParamLength is a 414 problem with the usual headers', async () => {
  const app = await newApp({ maxParamLength: 10 });
  app.get('/items/:id', async () => ({}));
  try {
    assert.equal((await app.inject({ url: '/items/0123456789' })).statusCode, 200);
    const res = await app.inject({ url: '/items/0123456789a', headers: { 'x-request-id': 'long-1' } });
    assert.equal(res.statusCode, 414);
    assert.equal(res.json().code, 'uri_too_long');
    assert.equal(res.headers['x-request-id'], 'long-1');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  } finally {
    await app.close();
  }
});

test('the body limit is configurable', async () => {
  const app = await newApp({ bodyLimit: 64 });
  app.post('/echo', async (request) => request.body);
  try {
    assert.equal(
      (await app.inject({ method: 'POST', url: '/echo', payload: { a: 'x'.repeat(10) } })).statusCode,
      200,
    );
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { a: 'x'.repeat(100) } });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().detail, 'Request body exceeds 64 bytes');
  } finally {
    await app.close();
  }
});

test('/openapi.json documents the service routes with their schemas, not the chassis probes', async () => {
  const app = await newApp({ description: 'Catalog' });
  app.get(
    '/products/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String() }),
        response: { 200: Type.Object({ name: Type.String() }) },
      },
    },
    async () => ({ name: 'x' }),
  );
  try {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.info, { title: 'app-test', version: '0.1.0', description: 'Catalog' });
    assert.ok(doc.paths['/products/{id}']?.get, 'service route missing');
    for (const hidden of ['/health/live', '/health/ready', '/metrics', '/openapi.json']) {
      assert.equal(doc.paths[hidden], undefined, `${hidden} should not be documented`);
    }
  } finally {
    await app.close();
  }
});

test('app.shopnow exposes service, version, the metrics registry and the shutdown flag', async () => {
  const app = await newApp();
  try {
    assert.equal(app.shopnow.service, 'app-test');
    assert.equal(app.shopnow.version, '0.1.0');
    assert.equal(typeof app.shopnow.metrics.metrics, 'function');
    assert.equal(app.shopnow.isShuttingDown(), false);
    app.shopnow.markShuttingDown();
    assert.equal(app.shopnow.isShuttingDown(), true);
  } finally {
    await app.close();
  }
});

test('regression: a query number that does not say exactly a number is refused, not rounded', async () => {
  const app = await newApp();
  const querystring = Type.Object({
    maxPrice: Type.Optional(Type.Integer({ minimum: 0 })),
    ratio: Type.Optional(Type.Number()),
  });
  app.get('/q', { schema: { querystring } }, async (request) => request.query);
  try {
    assert.deepEqual((await app.inject({ url: '/q?maxPrice=12&ratio=0.5' })).json(), {
      maxPrice: 12,
      ratio: 0.5,
    });
    for (const bad of ['maxPrice=9.99', 'maxPrice=0x10', 'maxPrice=', 'ratio=1e3', 'ratio=%205']) {
      const res = await app.inject({ url: `/q?${bad}` });
      assert.equal(res.statusCode, 400, bad);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(res.json().errors[0].field, `/${bad.split('=')[0]}`, bad);
    }
  } finally {
    await app.close();
  }
});
