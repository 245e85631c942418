// Admin writes on real Postgres: auth (verified tokens, roles), CRUD, validation (every bad input is a 4xx problem that
// names the field and changes nothing), constraint races, idempotency, cache invalidation.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TestTokenIssuer } from '@shopnow/testkit';
import {
  ADMIN,
  assertProblem,
  bearer,
  issuer,
  type ProductFixture,
  productIdBySku,
  snapshot,
  startProduct,
  userHeader,
} from './helpers.ts';

let f: ProductFixture;
before(async () => {
  f = await startProduct({ cacheTtlMs: 60_000 });
});
after(async () => {
  await f?.close();
});

const validProduct = (n: string) => ({
  sku: `tst-${n}`,
  name: `Test Product ${n}`,
  description: 'A product made by a test.',
  category: 'audio',
  price: { amountMinor: 4999, currency: 'USD' },
  attributes: { color: 'green', weightG: 120, refurbished: false },
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return f.app.inject({
    method: 'POST',
    url: '/admin/products',
    headers: { ...ADMIN, ...headers },
    payload: body as object,
  });
}

describe('admin authentication and roles', () => {
  const unauthenticated: Array<[string, () => Promise<Record<string, string>>]> = [
    ['no Authorization header', async () => ({})],
    ['a garbage bearer', async () => bearer('wrong-token-wrong-token')],
    [
      'an admin token from another issuer',
      async () => bearer(await other.user(randomUUID(), { roles: ['admin'] })),
    ],
    [
      'an expired admin token',
      async () => bearer(await issuer.user(randomUUID(), { roles: ['admin'], expiresIn: -120 })),
    ],
    [
      'an admin token with another scheme',
      async () => ({ authorization: ADMIN.authorization.replace(/^Bearer/, 'Basic') }),
    ],
    ['an empty bearer', async () => ({ authorization: 'Bearer ' })],
    [
      'forged identity headers without a token',
      async () => ({ 'x-user-id': randomUUID(), 'x-user-roles': 'admin' }),
    ],
  ];
  let other: TestTokenIssuer;
  before(async () => {
    other = await TestTokenIssuer.create();
  });
  for (const [name, headers] of unauthenticated) {
    it(`refuses ${name} with 401 and changes nothing`, async () => {
      const before = await snapshot(f.pool);
      const res = await f.app.inject({
        method: 'POST',
        url: '/admin/products',
        headers: await headers(),
        payload: validProduct('auth'),
      });
      assertProblem(res, 401, 'unauthorized');
      assert.match(String(res.headers['www-authenticate']), /^Bearer/);
      assert.equal(await snapshot(f.pool), before);
    });
  }

  it('a revoked admin session is refused with 401 from then on', async () => {
    const sessionId = randomUUID();
    const headers = await userHeader(randomUUID(), { roles: ['admin'], sessionId });
    const id = await productIdBySku(f.pool, 'AUD-001');
    const read = () => f.app.inject({ method: 'GET', url: `/admin/products/${id}`, headers });
    assert.equal((await read()).statusCode, 200);
    issuer.revokeSession(sessionId);
    assertProblem(await read(), 401, 'unauthorized');
    const before = await snapshot(f.pool);
    assertProblem(await post(validProduct('revoked'), headers), 401, 'unauthorized');
    assert.equal(await snapshot(f.pool), before);
  });

  it('a customer, support staff and a service token may not write: 403, nothing changes', async () => {
    const callers: Array<[string, Record<string, string>]> = [
      ['customer', await userHeader()],
      ['support', await userHeader(randomUUID(), { roles: ['support'] })],
      ['service', bearer(await issuer.service('auth'))],
    ];
    for (const [name, headers] of callers) {
      const before = await snapshot(f.pool);
      assertProblem(await post(validProduct('forbidden'), headers), 403, 'forbidden');
      assert.equal(await snapshot(f.pool), before, name);
    }
  });

  it('guards every admin route, reads included: no token 401, a customer 403', async () => {
    const id = await productIdBySku(f.pool, 'AUD-001');
    const customer = await userHeader();
    const routes = [
      ['GET', `/admin/products/${id}`],
      ['POST', '/admin/products'],
      ['PATCH', `/admin/products/${id}`],
      ['PUT', `/admin/products/${id}/price`],
      ['DELETE', `/admin/products/${id}`],
      ['GET', '/admin/events/dead-letters'],
      ['GET', '/admin/events/dead-letters/1'],
      ['POST', '/admin/events/dead-letters/1/replay'],
    ] as const;
    for (const [method, url] of routes) {
      const payload = method === 'GET' || method === 'DELETE' ? undefined : {};
      assertProblem(await f.app.inject({ method, url, payload }), 401, 'unauthorized');
      assertProblem(await f.app.inject({ method, url, payload, headers: customer }), 403, 'forbidden');
    }
  });

  it('support staff may read a product (inactive included) but not change it', async () => {
    const support = await userHeader(randomUUID(), { roles: ['support'] });
    const created = (await post(validProduct('support'))).json();
    await f.app.inject({ method: 'DELETE', url: `/admin/products/${created.id}`, headers: ADMIN });
    const read = await f.app.inject({
      method: 'GET',
      url: `/admin/products/${created.id}`,
      headers: support,
    });
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().active, false);
    assertProblem(
      await f.app.inject({
        method: 'PATCH',
        url: `/admin/products/${created.id}`,
        headers: support,
        payload: { active: true },
      }),
      403,
      'forbidden',
    );
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/admin/events/dead-letters', headers: support }),
      403,
      'forbidden',
    );
  });
});

describe('admin CRUD', () => {
  it('creates a product with a generated slug and image, readable at once', async () => {
    const res = await post(validProduct('create'));
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json();
    assert.equal(created.sku, 'TST-CREATE', 'SKU stored upper-case');
    assert.equal(created.slug, 'test-product-create');
    assert.deepEqual(created.images, [
      { url: `/products/${created.id}/image.svg`, alt: 'Test Product create' },
    ]);
    assert.deepEqual(created.rating, { average: 0, count: 0 });
    assert.equal(res.headers.location, `/products/${created.id}`);
    const read = await f.app.inject({ method: 'GET', url: `/products/${created.id}` });
    assert.deepEqual(read.json(), created);
    const image = await f.app.inject({ method: 'GET', url: created.images[0].url });
    assert.match(String(image.headers['content-type']), /^image\/svg\+xml/);
  });

  it('PATCH changes only the given fields and the cached read follows immediately', async () => {
    const created = (await post(validProduct('patch'))).json();
    const cachedBefore = await f.app.inject({ method: 'GET', url: `/products/${created.id}` });
    const res = await f.app.inject({
      method: 'PATCH',
      url: `/admin/products/${created.id}`,
      headers: ADMIN,
      payload: { name: 'Renamed', attributes: { color: 'red' }, price: { amountMinor: 5999 } },
    });
    assert.equal(res.statusCode, 200, res.body);
    const updated = res.json();
    assert.equal(updated.name, 'Renamed');
    assert.deepEqual(updated.attributes, { color: 'red' });
    assert.deepEqual(updated.price, { amountMinor: 5999, currency: 'USD' });
    assert.equal(updated.description, created.description);
    assert.ok(updated.updatedAt >= created.updatedAt);
    const read = await f.app.inject({ method: 'GET', url: `/products/${created.id}` });
    assert.equal(read.json().name, 'Renamed', 'this instance invalidated its cache (TTL is 60 s here)');
    assert.notEqual(read.headers.etag, cachedBefore.headers.etag);
  });

  it('PUT /price changes the price', async () => {
    const created = (await post(validProduct('price'))).json();
    await f.app.inject({ method: 'GET', url: `/products/${created.id}` }); // fill the cache
    const res = await f.app.inject({
      method: 'PUT',
      url: `/admin/products/${created.id}/price`,
      headers: ADMIN,
      payload: { amountMinor: 0, currency: 'EUR' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().price, { amountMinor: 0, currency: 'EUR' });
    const read = await f.app.inject({ method: 'GET', url: `/products/${created.id}` });
    assert.deepEqual(read.json().price, { amountMinor: 0, currency: 'EUR' });
  });

  it('DELETE is a soft delete: hidden from public reads, restorable', async () => {
    const created = (await post(validProduct('delete'))).json();
    await f.app.inject({ method: 'GET', url: `/products/${created.id}` });
    const res = await f.app.inject({
      method: 'DELETE',
      url: `/admin/products/${created.id}`,
      headers: ADMIN,
    });
    assert.equal(res.statusCode, 204);
    assertProblem(
      await f.app.inject({ method: 'GET', url: `/products/${created.id}` }),
      404,
      'product.not_found',
    );
    assertProblem(await f.app.inject({ method: 'GET', url: `/products/by-slug/${created.slug}` }), 404);
    const search = await f.app.inject({ method: 'GET', url: '/products/search?q=Test%20Product%20delete' });
    assert.ok(search.json().items.every((p: { id: string }) => p.id !== created.id));
    const adminRead = await f.app.inject({
      method: 'GET',
      url: `/admin/products/${created.id}`,
      headers: ADMIN,
    });
    assert.equal(adminRead.json().active, false);
    const again = await f.app.inject({
      method: 'DELETE',
      url: `/admin/products/${created.id}`,
      headers: ADMIN,
    });
    assert.equal(again.statusCode, 204, 'deleting twice is harmless');
    const restored = await f.app.inject({
      method: 'PATCH',
      url: `/admin/products/${created.id}`,
      headers: ADMIN,
      payload: { active: true },
    });
    assert.equal(restored.statusCode, 200);
    assert.equal((await f.app.inject({ method: 'GET', url: `/products/${created.id}` })).statusCode, 200);
  });

  it('404 for writes to an unknown product', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const before = await snapshot(f.pool);
    assertProblem(
      await f.app.inject({ method: 'DELETE', url: `/admin/products/${id}`, headers: ADMIN }),
      404,
    );
    assertProblem(
      await f.app.inject({
        method: 'PATCH',
        url: `/admin/products/${id}`,
        headers: ADMIN,
        payload: { name: 'x' },
      }),
      404,
    );
    assertProblem(
      await f.app.inject({
        method: 'PUT',
        url: `/admin/products/${id}/price`,
        headers: ADMIN,
        payload: { amountMinor: 1, currency: 'USD' },
      }),
      404,
    );
    assert.equal(await snapshot(f.pool), before);
  });
});

describe('bad admin input → 4xx problem naming the field, data unchanged', () => {
  const base = validProduct('bad');
  const createCases: Array<[string, unknown, number, string]> = [
    ['negative price', { ...base, price: { amountMinor: -1, currency: 'USD' } }, 400, '/price/amountMinor'],
    [
      'fractional price',
      { ...base, price: { amountMinor: 9.99, currency: 'USD' } },
      400,
      '/price/amountMinor',
    ],
    [
      'price as a string',
      { ...base, price: { amountMinor: '4999', currency: 'USD' } },
      400,
      '/price/amountMinor',
    ],
    [
      'price beyond 2^53',
      { ...base, price: { amountMinor: 2 ** 60, currency: 'USD' } },
      400,
      '/price/amountMinor',
    ],
    ['price as a float number', { ...base, price: 49.99 }, 400, '/price'],
    ['unknown currency', { ...base, price: { amountMinor: 1, currency: 'ZZZ' } }, 400, '/price/currency'],
    ['lower-case currency', { ...base, price: { amountMinor: 1, currency: 'usd' } }, 400, '/price/currency'],
    ['unknown top-level field', { ...base, colour: 'red' }, 400, '/colour'],
    [
      'unknown nested field',
      { ...base, price: { amountMinor: 1, currency: 'USD', tax: 2 } },
      400,
      '/price/tax',
    ],
    ['server-owned field', { ...base, rating: { average: 5, count: 1000 } }, 400, '/rating'],
    ['id supplied', { ...base, id: '00000000-0000-4000-8000-000000000000' }, 400, '/id'],
    ['missing name', { ...base, name: undefined }, 400, '/name'],
    ['blank name', { ...base, name: '   ' }, 400, '/name'],
    ['name as number', { ...base, name: 42 }, 400, '/name'],
    ['NUL in name', { ...base, name: 'bad\u0000name' }, 400, '/name'],
    ['NUL in description', { ...base, description: 'bad\u0000' }, 400, '/description'],
    ['NUL in an attribute value', { ...base, attributes: { color: 'red\u0000' } }, 400, '/attributes/color'],
    ['bad sku', { ...base, sku: 'no spaces allowed' }, 400, '/sku'],
    ['bad slug', { ...base, slug: 'Not A Slug' }, 400, '/slug'],
    [
      'remote image URL',
      { ...base, images: [{ url: 'https://evil.example/x.png', alt: 'x' }] },
      400,
      '/images/0/url',
    ],
    [
      'protocol-relative image URL',
      { ...base, images: [{ url: '//evil.example/x.png', alt: 'x' }] },
      400,
      '/images/0/url',
    ],
    ['nested attribute object', { ...base, attributes: { spec: { deep: true } } }, 400, '/attributes/spec'],
    ['active as string', { ...base, active: 'yes' }, 400, '/active'],
    ['unknown category', { ...base, category: 'weapons' }, 422, '/category'],
    ['SKU already used', { ...base, sku: 'aud-001' }, 409, '/sku'],
    ['slug already used', { ...base, slug: 'wireless-headphones' }, 409, '/slug'],
  ];
  for (const [name, body, status, field] of createCases) {
    it(`POST: ${name}`, async () => {
      const before = await snapshot(f.pool);
      const problem = assertProblem(await post(body), status);
      assert.ok(
        problem.errors?.some((e) => e.field === field),
        `names ${field}: ${JSON.stringify(problem)}`,
      );
      assert.equal(await snapshot(f.pool), before);
    });
  }

  const rawCases: Array<[string, string, string, number, string]> = [
    ['invalid JSON', '{"sku": "X-1", "name": ', 'application/json', 400, 'invalid_json'],
    ['empty JSON body', '', 'application/json', 400, 'invalid_json'],
    ['JSON array', '[1,2,3]', 'application/json', 400, 'validation_failed'],
    ['JSON null', 'null', 'application/json', 400, 'validation_failed'],
    ['text/plain body', 'sku=X', 'text/plain', 415, 'unsupported_media_type'],
    ['form body', 'sku=X', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
  ];
  for (const [name, payload, contentType, status, code] of rawCases) {
    it(`POST: ${name}`, async () => {
      const before = await snapshot(f.pool);
      const res = await f.app.inject({
        method: 'POST',
        url: '/admin/products',
        headers: { ...ADMIN, 'content-type': contentType },
        payload,
      });
      assertProblem(res, status, code);
      assert.equal(await snapshot(f.pool), before);
    });
  }

  it('POST: a 10 MB body is refused with 413', async () => {
    const before = await snapshot(f.pool);
    const huge = JSON.stringify({ ...base, description: 'x'.repeat(10 * 1024 * 1024) });
    const res = await f.app.inject({
      method: 'POST',
      url: '/admin/products',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      payload: huge,
    });
    assertProblem(res, 413, 'body_too_large');
    assert.equal(await snapshot(f.pool), before);
  });

  it('PATCH and PUT refuse bad input too', async () => {
    const id = await productIdBySku(f.pool, 'AUD-003');
    const cases: Array<['PATCH' | 'PUT', string, unknown, string]> = [
      ['PATCH', `/admin/products/${id}`, {}, '/'],
      ['PATCH', `/admin/products/${id}`, { price: { amountMinor: -100 } }, '/price/amountMinor'],
      ['PATCH', `/admin/products/${id}`, { price: {} }, '/price'],
      ['PATCH', `/admin/products/${id}`, { price: { currency: 'QQQ' } }, '/price/currency'],
      ['PATCH', `/admin/products/${id}`, { active: 1 }, '/active'],
      ['PATCH', `/admin/products/${id}`, { name: ' \t ' }, '/name'],
      ['PATCH', `/admin/products/${id}`, { rating: 5 }, '/rating'],
      ['PATCH', `/admin/products/${id}`, { sku: 'AUD-001' }, '/sku'],
      ['PATCH', `/admin/products/${id}`, { category: 'nope' }, '/category'],
      ['PATCH', '/admin/products/not-a-uuid', { name: 'x' }, '/id'],
      ['PUT', `/admin/products/${id}/price`, { amountMinor: -1, currency: 'USD' }, '/amountMinor'],
      ['PUT', `/admin/products/${id}/price`, { amountMinor: 100 }, '/currency'],
      ['PUT', `/admin/products/${id}/price`, { amountMinor: '100', currency: 'USD' }, '/amountMinor'],
      ['PUT', `/admin/products/${id}/price`, { amountMinor: 100, currency: 'USD', note: 'x' }, '/note'],
    ];
    for (const [method, url, payload, field] of cases) {
      const before = await snapshot(f.pool);
      const res = await f.app.inject({ method, url, headers: ADMIN, payload: payload as object });
      assert.ok(
        res.statusCode >= 400 && res.statusCode < 500,
        `${method} ${JSON.stringify(payload)}: ${res.statusCode}`,
      );
      const problem = assertProblem(res, res.statusCode);
      assert.ok(
        problem.errors?.some((e) => e.field === field),
        `${JSON.stringify(payload)} names ${field}: ${res.body}`,
      );
      assert.equal(await snapshot(f.pool), before);
    }
  });

  it('a bad Idempotency-Key header is refused', async () => {
    const before = await snapshot(f.pool);
    const problem = assertProblem(
      await post(validProduct('badkey'), { 'idempotency-key': 'spaces are not ok' }),
      400,
    );
    assert.ok(
      problem.errors?.some((e) => e.field === '/idempotency-key'),
      JSON.stringify(problem),
    );
    assert.equal(await snapshot(f.pool), before);
  });
});

/** Until some backend of this database waits on a lock (the parked request). */
async function waitForLockWait(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await f.pool.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (rows[0].n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the request never waited on the lock');
}

describe('Idempotency-Key on writes', () => {
  const count = async () =>
    (await f.pool.query('SELECT count(*)::int AS n FROM products')).rows[0].n as number;

  it('a repeated create returns the first result and creates one product', async () => {
    const before = await count();
    const first = await post(validProduct('idem'), { 'idempotency-key': 'create-idem-1' });
    assert.equal(first.statusCode, 201);
    const second = await post(validProduct('idem'), { 'idempotency-key': 'create-idem-1' });
    assert.equal(second.statusCode, 201);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.deepEqual(second.json(), first.json());
    assert.equal(await count(), before + 1);
  });

  it('the same key with a different body is refused with 422 and changes nothing', async () => {
    await post(validProduct('idem2'), { 'idempotency-key': 'create-idem-2' });
    const before = await snapshot(f.pool);
    const res = await post(validProduct('idem2-other'), { 'idempotency-key': 'create-idem-2' });
    assertProblem(res, 422, 'idempotency_key_mismatch');
    assert.equal(await snapshot(f.pool), before);
  });

  it('the same key while the first request is in flight gets 409', async () => {
    // Park the first request inside its transaction: its category foreign-key check waits
    // for a lock this test holds on the category row.
    const holder = await f.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM categories WHERE slug = 'audio' FOR UPDATE");
      const first = post(validProduct('idem3'), { 'idempotency-key': 'create-idem-3' });
      await waitForLockWait();
      const before = await snapshot(f.pool);
      assertProblem(
        await post(validProduct('idem3'), { 'idempotency-key': 'create-idem-3' }),
        409,
        'idempotency_in_progress',
      );
      assert.equal(await snapshot(f.pool), before);
      await holder.query('ROLLBACK');
      assert.equal((await first).statusCode, 201);
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      holder.release();
    }
    const replay = await post(validProduct('idem3'), { 'idempotency-key': 'create-idem-3' });
    assert.equal(replay.headers['idempotent-replayed'], 'true');
  });

  it('concurrent repeats create exactly one product', async () => {
    const before = await count();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post(validProduct('idem4'), { 'idempotency-key': 'create-idem-4' })),
    );
    for (const r of results) assert.ok([201, 409].includes(r.statusCode), `${r.statusCode} ${r.body}`);
    assert.ok(results.some((r) => r.statusCode === 201));
    assert.equal(await count(), before + 1);
  });

  it('a failed write stores nothing, so the same key can be retried once fixed', async () => {
    const bad = await post(
      { ...validProduct('idem5'), category: 'nope' },
      { 'idempotency-key': 'create-idem-5' },
    );
    assertProblem(bad, 422);
    const retry = await post(
      { ...validProduct('idem5'), category: 'nope' },
      { 'idempotency-key': 'create-idem-5' },
    );
    assertProblem(retry, 422);
  });

  it('price changes and deletes replay too', async () => {
    const created = (await post(validProduct('idem6'))).json();
    const put = () =>
      f.app.inject({
        method: 'PUT',
        url: `/admin/products/${created.id}/price`,
        headers: { ...ADMIN, 'idempotency-key': 'price-idem-6' },
        payload: { amountMinor: 777, currency: 'USD' },
      });
    const first = await put();
    await f.pool.query('UPDATE products SET price_minor = 1 WHERE id = $1', [created.id]);
    const replay = await put();
    assert.deepEqual(replay.json(), first.json(), 'the stored first answer, not a second write');
    const { rows } = await f.pool.query('SELECT price_minor FROM products WHERE id = $1', [created.id]);
    assert.equal(rows[0].price_minor, '1', 'the replay did not write again');
    const del = () =>
      f.app.inject({
        method: 'DELETE',
        url: `/admin/products/${created.id}`,
        headers: { ...ADMIN, 'idempotency-key': 'delete-idem-6' },
      });
    assert.equal((await del()).statusCode, 204);
    const again = await del();
    assert.equal(again.statusCode, 204);
    assert.equal(again.headers['idempotent-replayed'], 'true');
  });
});
