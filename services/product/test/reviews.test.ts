// Reviews on real Postgres: one per user per product, the rating kept on the product in the
// same transaction (also under concurrency), paging, and the author taken from the verified
// access token only (a forged X-User-ID is dropped; revoked sessions and services are refused).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN,
  assertProblem,
  bearer,
  issuer,
  type ProductFixture,
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

/** POSTs a review as `userId` (signed in with a fresh customer token), or anonymously. */
async function review(
  productId: string,
  userId: string | undefined,
  body: object,
  headers: Record<string, string> = {},
) {
  return f.app.inject({
    method: 'POST',
    url: `/products/${productId}/reviews`,
    headers: { ...(userId === undefined ? {} : await userHeader(userId)), ...headers },
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
      ['no token', () => review(id, undefined, { rating: 5 }), 401, undefined],
      [
        'a forged X-User-ID and no token',
        () => review(id, undefined, { rating: 5 }, { 'x-user-id': user }),
        401,
        undefined,
      ],
      ['no token and a bad body', () => review(id, undefined, { rating: 'x' }), 401, undefined],
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

describe('who writes a review', () => {
  it('a forged X-User-ID without a token cannot post a review: 401, nothing changes', async () => {
    const id = await newProduct('forged');
    const before = await snapshot(f.pool);
    const res = await review(id, undefined, { rating: 1 }, { 'x-user-id': randomUUID() });
    assertProblem(res, 401, 'unauthorized');
    assert.match(String(res.headers['www-authenticate']), /^Bearer/);
    assert.equal(await snapshot(f.pool), before);
  });

  it("the author is the token's user, whatever X-User-ID says", async () => {
    const id = await newProduct('author');
    const alice = randomUUID();
    const mallory = randomUUID();
    const res = await review(id, alice, { rating: 4 }, { 'x-user-id': mallory });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().review.userId, alice);
    const { rows } = await f.pool.query('SELECT user_id FROM reviews WHERE product_id = $1', [id]);
    assert.deepEqual(
      rows.map((r) => r.user_id),
      [alice],
    );
  });

  it('a revoked session cannot post a review: 401, nothing changes', async () => {
    const id = await newProduct('revoked');
    const sessionId = randomUUID();
    const headers = await userHeader(randomUUID(), { sessionId });
    issuer.revokeSession(sessionId);
    const before = await snapshot(f.pool);
    const res = await f.app.inject({
      method: 'POST',
      url: `/products/${id}/reviews`,
      headers,
      payload: { rating: 5 },
    });
    assertProblem(res, 401, 'unauthorized');
    assert.equal(await snapshot(f.pool), before);
  });

  it('a service token, or a token whose subject is not a user id, is refused with 403', async () => {
    const id = await newProduct('notuser');
    const before = await snapshot(f.pool);
    for (const token of [await issuer.service('auth'), await issuer.user('not-a-uuid')]) {
      const res = await f.app.inject({
        method: 'POST',
        url: `/products/${id}/reviews`,
        headers: bearer(token),
        payload: { rating: 5 },
      });
      assertProblem(res, 403, 'forbidden');
    }
    assert.equal(await snapshot(f.pool), before);
  });

  it("one user's Idempotency-Key never replays another user's review", async () => {
    const id = await newProduct('idemscope');
    const alice = randomUUID();
    const bob = randomUUID();
    const first = await review(id, alice, { rating: 5 }, { 'idempotency-key': 'shared-key' });
    const second = await review(id, bob, { rating: 5 }, { 'idempotency-key': 'shared-key' });
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(second.headers['idempotent-replayed'], undefined);
    assert.equal(first.json().review.userId, alice);
    assert.equal(second.json().review.userId, bob);
    assert.deepEqual(second.json().rating, { average: 5, count: 2 });
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
