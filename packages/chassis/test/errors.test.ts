import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Type } from 'typebox';
import { request } from 'undici';
import { type App, createApp } from '../src/app.ts';
import { AppError, commonErrors, defineErrors } from '../src/errors.ts';
import { captureLogs } from './support/log-capture.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';
const productErrors = defineErrors({
  'product.not_found': { status: 404, title: 'Product not found' },
  'product.sku_taken': { status: 409, title: 'SKU already in use' },
});

const Product = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    price: Type.Integer({ minimum: 0 }),
    tags: Type.Optional(Type.Array(Type.String())),
    dimensions: Type.Optional(Type.Object({ width: Type.Number() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const logs = captureLogs();
let app: App;
let baseUrl: string;

before(async () => {
  app = await createApp({ service: 'errors-test', version: '1.0.0', logStream: logs.stream });
  app.post('/products', { schema: { body: Product } }, async (req) => ({ created: req.body.name }));
  app.get(
    '/products',
    {
      schema: {
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }),
      },
    },
    async (req) => ({ limit: req.query.limit }),
  );
  app.get(
    '/products/:id',
    { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async () => {
      throw new AppError(productErrors['product.not_found'], 'No product with this id', { retryable: false });
    },
  );
  app.get(
    '/secure',
    { schema: { headers: Type.Object({ 'x-tenant': Type.String({ pattern: '^[a-z]+$' }) }) } },
    async () => ({}),
  );
  app.get('/crash', async () => {
    throw new Error('database password is hunter2 at /srv/app/store.ts:42');
  });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});
after(() => app.close());

function assertProblem(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], PROBLEM);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(body.type, `urn:shopnow:problem:${code}`);
  assert.equal(typeof body.title, 'string');
  assert.equal(body.request_id, res.headers['x-request-id']);
  assert.equal(JSON.stringify(body).includes('    at '), false, 'stack trace sent to the client');
  return body;
}

test('defineErrors keys become stable codes; a bad status is refused at definition', () => {
  assert.deepEqual(productErrors['product.not_found'], {
    code: 'product.not_found',
    status: 404,
    title: 'Product not found',
  });
  assert.throws(
    () => defineErrors({ oops: { status: 200, title: 'not an error' } }),
    /status must be 400-599/,
  );
});

test('an AppError renders its catalog entry, detail, extensions and the request path', async () => {
  const res = await app.inject({ url: '/products/1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b?x=1' });
  const body = assertProblem(res, 404, 'product.not_found');
  assert.equal(body.title, 'Product not found');
  assert.equal(body.detail, 'No product with this id');
  assert.equal(body.instance, '/products/1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b');
  assert.equal(body.retryable, false);
});

test('validation errors name the field, in body, querystring, params and headers', async () => {
  const wrongType = assertProblem(
    await app.inject({ method: 'POST', url: '/products', payload: { name: 'Lamp', price: '12' } }),
    400,
    'validation_failed',
  );
  assert.deepEqual(wrongType.errors, [{ in: 'body', field: '/price', message: 'must be integer' }]);

  const negative = assertProblem(
    await app.inject({ method: 'POST', url: '/products', payload: { name: 'Lamp', price: -5 } }),
    400,
    'validation_failed',
  );
  assert.deepEqual(negative.errors, [{ in: 'body', field: '/price', message: 'must be >= 0' }]);

  const missing = assertProblem(
    await app.inject({ method: 'POST', url: '/products', payload: { price: 5 } }),
    400,
    'validation_failed',
  );
  assert.deepEqual(missing.errors, [{ in: 'body', field: '/name', message: 'is required' }]);

  const query = assertProblem(
    await app.inject({ url: '/products?limit=1000000000' }),
    400,
    'validation_failed',
  );
  assert.deepEqual(query.errors, [{ in: 'querystring', field: '/limit', message: 'must be <= 100' }]);

  const params = assertProblem(await app.inject({ url: '/products/not-a-uuid' }), 400, 'validation_failed');
  assert.equal((params.errors as Array<{ in: string; field: string }>)[0]?.in, 'params');
  assert.equal((params.errors as Array<{ in: string; field: string }>)[0]?.field, '/id');

  const headers = assertProblem(
    await app.inject({ url: '/secure', headers: { 'x-tenant': 'UP' } }),
    400,
    'validation_failed',
  );
  assert.equal((headers.errors as Array<{ in: string; field: string }>)[0]?.in, 'headers');
  assert.equal((headers.errors as Array<{ in: string; field: string }>)[0]?.field, '/x-tenant');
});

test('querystring values are converted and defaults applied; bodies are not coerced', async () => {
  assert.deepEqual((await app.inject({ url: '/products?limit=7' })).json(), { limit: 7 });
  assert.deepEqual((await app.inject({ url: '/products' })).json(), { limit: 20 });
  const res = await app.inject({ method: 'POST', url: '/products', payload: { name: 5, price: 1 } });
  assertProblem(res, 400, 'validation_failed');
});

test('unknown fields are refused and named, also in nested objects', async () => {
  const top = assertProblem(
    await app.inject({ method: 'POST', url: '/products', payload: { name: 'Lamp', price: 5, admin: true } }),
    400,
    'validation_failed',
  );
  assert.deepEqual(top.errors, [{ in: 'body', field: '/admin', message: 'is not allowed' }]);
  const nested = assertProblem(
    await app.inject({
      method: 'POST',
      url: '/products',
      payload: { name: 'Lamp', price: 5, dimensions: { width: 1, depth: 2 } },
    }),
    400,
    'validation_failed',
  );
  assert.deepEqual(nested.errors, [{ in: 'body', field: '/dimensions/depth', message: 'is not allowed' }]);
});

test('invalid JSON and an empty JSON body are 400 invalid_json', async () => {
  const json = { 'content-type': 'application/json' };
  assertProblem(
    await app.inject({ method: 'POST', url: '/products', headers: json, payload: '{"name": "Lamp",' }),
    400,
    'invalid_json',
  );
  assertProblem(
    await app.inject({ method: 'POST', url: '/products', headers: json, payload: '' }),
    400,
    'invalid_json',
  );
  assertProblem(
    await app.inject({ method: 'POST', url: '/products', headers: json, payload: '{"__proto__": {"x": 1}}' }),
    400,
    'invalid_json',
  );
});

test('a body that is not JSON is 415, text/plain included', async () => {
  for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
    const body = assertProblem(
      await app.inject({
        method: 'POST',
        url: '/products',
        headers: { 'content-type': type },
        payload: 'name=x',
      }),
      415,
      'unsupported_media_type',
    );
    assert.match(String(body.detail), new RegExp(type.replaceAll('/', '\\/')));
  }
});

test('a 10 MB body is refused with 413 over a real connection', async () => {
  const res = await request(`${baseUrl}/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"name":"${'x'.repeat(10 * 1024 * 1024)}","price":1}`,
  });
  const body = (await res.body.json()) as Record<string, unknown>;
  assert.equal(res.statusCode, 413);
  assert.equal(res.headers['content-type'], PROBLEM);
  assert.equal(body.code, 'body_too_large');
  assert.equal(body.detail, 'Request body exceeds 1048576 bytes');
});

test('oversized request headers are refused with 431 problem+json', async () => {
  const res = await request(`${baseUrl}/products`, { headers: { 'x-padding': 'a'.repeat(20_000) } });
  assert.equal(res.statusCode, 431);
  assert.equal(res.headers['content-type'], PROBLEM);
  assert.equal(((await res.body.json()) as { code: string }).code, 'headers_too_large');
});

test('an unknown route is a 404 problem naming method and path', async () => {
  const body = assertProblem(
    await app.inject({ method: 'DELETE', url: '/nowhere?q=1' }),
    404,
    'route_not_found',
  );
  assert.equal(body.detail, 'No route for DELETE /nowhere');
});

test('a malformed URL is a 400 problem, not a crash', async () => {
  assertProblem(await app.inject({ url: '/products/%E0%A4%A' }), 400, 'bad_request');
});

test('an unexpected error is a generic 500: no message, no stack; the log has both', async () => {
  const res = await app.inject({ url: '/crash' });
  const body = assertProblem(res, 500, 'internal');
  assert.equal(body.detail, undefined);
  assert.equal(res.body.includes('hunter2'), false);
  assert.equal(res.body.includes('store.ts'), false);
  const logged = logs.lines.find((line) => line.msg === 'request failed') as { err: { stack: string } };
  assert.match(logged.err.stack, /hunter2/);
});

test('an error thrown after a handler set cache headers does not leave them on the problem', async () => {
  const local = await createApp({ service: 't', version: '1', logStream: captureLogs().stream });
  local.get('/cached', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=600').header('etag', '"v1"');
    throw new AppError(commonErrors.conflict, 'changed meanwhile');
  });
  const res = await local.inject({ url: '/cached' });
  assertProblem(res, 409, 'conflict');
  assert.equal(res.headers['cache-control'], undefined);
  assert.equal(res.headers.etag, undefined);
  await local.close();
});
