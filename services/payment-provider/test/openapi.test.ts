// The OpenAPI document names every /v1 operation with the provider's own key scheme (not
// ShopNow's access tokens) and documents the decline answer.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type Provider, startProvider } from './helpers.ts';

let p: Provider;
before(async () => {
  p = await startProvider();
});
after(() => p?.close());

interface Operation {
  security?: Array<Record<string, unknown>>;
  responses: Record<string, unknown>;
}

it('every /v1 operation declares secretKey or publishableKey, and both schemes are defined', async () => {
  const res = await p.app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json() as {
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );
  assert.deepEqual(operations.map((o) => o.name).sort(), [
    'DELETE /v1/sandbox/faults',
    'GET /v1/charges',
    'GET /v1/charges/{id}',
    'GET /v1/sandbox/faults',
    'GET /v1/tokens/{id}',
    'POST /v1/charges',
    'POST /v1/refunds',
    'POST /v1/tokens',
    'PUT /v1/sandbox/faults',
  ]);
  for (const { name, op } of operations) {
    const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
    const expected = name === 'POST /v1/tokens' ? ['publishableKey', 'secretKey'] : ['secretKey'];
    assert.deepEqual(schemes, expected, name);
  }
  for (const scheme of ['secretKey', 'publishableKey']) {
    assert.equal(doc.components.securitySchemes[scheme]?.scheme, 'bearer');
  }
  assert.ok(doc.paths['/v1/charges']?.post?.responses['402'], 'the decline answer is documented');
});
