// Reviews on real Postgres: one per user per product, the rating kept on the product in the
// same transaction (also under concurrency), paging, and the temporary X-User-ID identity.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ADMIN, assertProblem, type ProductFixture, snapshot, startProduct } from './helpers.ts';

let f: ProductFixture;
before(async () => {
  f = await startProduct({ cacheTtlMs: 60_000 });
});
after(async () => {
  await f?.close();
});

async function newProduct(n: string): Promise<string> {
  const res = await f.app.inject({
    method: 'POST',
    url: '/admin/products',
    headers: ADMIN,
    payload: {
      sku: `REV-${n}`,
      name: `Review Target ${n}`,
      category: 'books',
      price: { amountMinor: 100, currency: 'USD' },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

function review(
  productId: string,
  userId: string | undefined,
  body: object,
  headers: Record<string, string> = {},
) {
  return f.app.inject({
    method: 'POST',
    url: `/products/${productId}/reviews`,
    headers: { ...(userId === undefined ? {} : { 'x-user-id': userId }), ...headers },
    payload: body,
  });
}

describe('adding reviews', () => {
  it('adds a review and keeps the product rating (visible through the cache at once)', async () => {
    const id = await newProduct('one');
    const cached = await f.app.inject({ method: 'GET', url: `/products/${id}` });
    assert.deepEqual(cached.json().rating, { average: 0, count: 0 });

    const first = await review(id, randomUUID(), { rating: 5, title: 'Great', body: 'Loved it' });
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual(first.json().rating, { average: 5, count: 1 });
    assert.equal(first.json().review.rating, 5);
    const second = await review(id, randomUUID(), { rating: 4 });
    assert.deepEqual(second.json().rating, { average: 4.5, count: 2 });
    const third = await review(id, randomUUID(), { rating: 4 });
    assert.deepEqual(third.json().rating, { average: 4.33, count: 3 });

    const product = await f.app.inject({ method: 'GET', url: `/products/${id}` });
    assert.deepEqual(product.json().rating, { average: 4.33, count: 3 });
  });

  it('allows one review per user per product (409 on the second, nothing changes)', async () => {
    const id = await newProduct('dup');
    const user = randomUUID();
    assert.equal((await review(id, user, { rating: 3 })).statusCode, 201);
    const before = await snapshot(f.pool);
    assertProblem(await review(id, user, { rating: 1 }), 409, 'product.already_reviewed');
    assert.equal(await snapshot(f.pool), before);
    const other = await newProduct('dup2');
    assert.equal((await review(other, user, { rating: 2 })).statusCode, 201, 'same user, another product');
  });

  it('counts every one of many concurrent reviews', async () => {
    const id = await newProduct('race');
    const ratings = [5, 4, 3, 5, 1, 2, 5, 4, 4, 3, 5, 5];
    const results = await Promise.all(ratings.map((rating) => review(id, randomUUID(), { rating })));
    assert.ok(results.every((r) => r.statusCode === 201));
    const { rows } = await f.pool.query('SELECT rating_avg, rating_count FROM products WHERE id = $1', [id]);
    const sum = ratings.reduce((a, b) => a + b, 0);
    assert.equal(rows[0].rating_count, ratings.length);
    assert.equal(Number(rows[0].rating_avg), Math.round((sum * 100) / ratings.length) / 100);
  });

  it('seeded ratings agree with the seeded reviews', async () => {
    const { rows } = await f.pool.query(
      `SELECT p.sku FROM products p LEFT JOIN reviews r ON r.product_id = p.id
        GROUP BY p.id
       HAVING p.rating_count <> count(r.id) OR p.rating_avg <> coalesce(round(avg(r.rating), 2), 0)`,
    );
    assert.deepEqual(rows, []);
  });

  it('replays a review sent twice with one Idempotency-Key', async () => {
    const id = await newProduct('idem');
    const user = randomUUID();
    const first = await review(id, user, { rating: 4 }, { 'idempotency-key': 'review-1' });
    const second = await review(id, user, { rating: 4 }, { 'idempotency-key': 'review-1' });
    assert.equal(second.statusCode, 201);
    assert.deepEqual(second.json(), first.json());
    assertProblem(await review(id, user, { rating: 2 }, { 'idempotency-key': 'review-1' }), 422);
  });
});

describe('bad review requests → 4xx problem, nothing changes', () => {
  it('each is refused', async () => {
    const id = await newProduct('bad');
    const user = randomUUID();
    const cases: Array<[string, () => ReturnType<typeof review>, number, string | undefined]> = [
      ['no X-User-ID', () => review(id, undefined, { rating: 5 }), 401, undefined],
      ['X-User-ID not a uuid', () => review(id, 'alice', { rating: 5 }), 400, '/x-user-id'],
      ['rating 0', () => review(id, user, { rating: 0 }), 400, '/rating'],
      ['rating 6', () => review(id, user, { rating: 6 }), 400, '/rating'],
      ['rating 4.5', () => review(id, user, { rating: 4.5 }), 400, '/rating'],
      ['rating as string', () => review(id, user, { rating: '5' }), 400, '/rating'],
      ['missing rating', () => review(id, user, { title: 'x' }), 400, '/rating'],
      ['unknown field', () => review(id, user, { rating: 5, userId: randomUUID() }), 400, '/userId'],
      ['NUL in body', () => review(id, user, { rating: 5, body: 'a\u0000b' }), 400, '/body'],
      ['title too long', () => review(id, user, { rating: 5, title: 'x'.repeat(201) }), 400, '/title'],
      [
        'unknown product',
        () => review('00000000-0000-4000-8000-000000000000', user, { rating: 5 }),
        404,
        undefined,
      ],
    ];
    for (const [name, send, status, field] of cases) {
      const before = await snapshot(f.pool);
      const problem = assertProblem(await send(), status);
      if (field)
        assert.ok(
          problem.errors?.some((e) => e.field === field),
          `${name}: ${JSON.stringify(problem)}`,
        );
      assert.equal(await snapshot(f.pool), before, name);
    }
  });

  it('an inactive product takes no reviews', async () => {
    const id = await newProduct('inactive');
    await f.app.inject({ method: 'DELETE', url: `/admin/products/${id}`, headers: ADMIN });
    assertProblem(await review(id, randomUUID(), { rating: 5 }), 404, 'product.not_found');
  });
});

describe('listing reviews', () => {
  it('pages newest first without duplicates or gaps', async () => {
    const id = await newProduct('list');
    for (let i = 0; i < 7; i++)
      assert.equal((await review(id, randomUUID(), { rating: (i % 5) + 1 })).statusCode, 201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof f.app.inject>> = await f.app.inject({
        method: 'GET',
        url: `/products/${id}/reviews?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      });
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json();
      seen.push(...page.items.map((r: { id: string }) => r.id));
      const times = page.items.map((r: { createdAt: string }) => r.createdAt);
      assert.deepEqual(times, [...times].sort().reverse());
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen).size, 7);
  });

  it('404 for an unknown product', async () => {
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/products/00000000-0000-4000-8000-000000000000/reviews' }),
      404,
      'product.not_found',
    );
  });
});
