// Public reads against the seeded catalog on real Postgres: paging, filters, sorts, lookups,
// conditional GET, images, and every malformed read parameter answered with a 4xx problem.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem, type ProductFixture, productIdBySku, snapshot, startProduct } from './helpers.ts';

interface ProductBody {
  id: string;
  sku: string;
  slug: string;
  name: string;
  category: string;
  price: { amountMinor: number; currency: string };
  rating: { average: number; count: number };
  images: Array<{ url: string; alt: string }>;
  createdAt: string;
}
interface PageBody {
  items: ProductBody[];
  nextCursor: string | null;
}

let f: ProductFixture;
before(async () => {
  f = await startProduct();
});
after(async () => {
  await f?.close();
});

async function list(query: string): Promise<PageBody> {
  const res = await f.app.inject({ method: 'GET', url: `/products?${query}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** Follows nextCursor to the end, returning every item in order. */
async function listAll(query: string, limit: number): Promise<ProductBody[]> {
  const items: ProductBody[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.ok(page.items.length <= limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) return items;
    assert.equal(page.items.length, limit, 'only the last page may be short');
  }
  throw new Error('paging did not end');
}

async function activeCount(where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await f.pool.query(
    `SELECT count(*)::int AS n FROM products WHERE active AND ${where}`,
    params,
  );
  return rows[0].n;
}

describe('seeded catalog', () => {
  it('has at least 60 products in at least 6 categories, each with a local image', async () => {
    assert.ok((await activeCount()) >= 60);
    const res = await f.app.inject({ method: 'GET', url: '/categories' });
    assert.equal(res.statusCode, 200);
    const categories = res.json().items as Array<{ slug: string; productCount: number }>;
    assert.ok(categories.length >= 6);
    assert.ok(categories.every((c) => c.productCount > 0));
    const all = await listAll('sort=newest', 100);
    assert.ok(all.every((p) => p.images.length > 0 && p.images.every((i) => i.url.startsWith('/products/'))));
  });

  it('lists 20 by default, newest first', async () => {
    const page = await list('');
    assert.equal(page.items.length, 20);
    assert.ok(page.nextCursor);
    const times = page.items.map((p) => Date.parse(p.createdAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
  });
});

describe('cursor paging', () => {
  const sorts: Array<[string, (a: ProductBody, b: ProductBody) => boolean]> = [
    ['newest', (a, b) => a.createdAt >= b.createdAt],
    ['price_asc', (a, b) => a.price.amountMinor <= b.price.amountMinor],
    ['price_desc', (a, b) => a.price.amountMinor >= b.price.amountMinor],
    [
      'rating',
      (a, b) =>
        a.rating.average > b.rating.average ||
        (a.rating.average === b.rating.average && a.rating.count >= b.rating.count),
    ],
  ];
  for (const [sort, inOrder] of sorts) {
    it(`visits every product exactly once, in order, sorted by ${sort}`, async () => {
      const items = await listAll(`sort=${sort}`, 7);
      const ids = items.map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length, 'no duplicates');
      assert.equal(ids.length, await activeCount(), 'no gaps');
      for (let i = 1; i < items.length; i++)
        assert.ok(inOrder(items[i - 1]!, items[i]!), `${sort} order at ${i}`);
    });
  }

  it('is stable when rows are added ahead of the cursor (keyset, not offset)', async () => {
    const first = await list('sort=price_asc&limit=5');
    // A new cheapest product lands on an already-read page; the next page must not repeat or skip.
    await f.pool.query(
      `INSERT INTO products (id, sku, slug, name, category, price_minor, currency)
       VALUES (gen_random_uuid(), 'TMP-CHEAP', 'tmp-cheap', 'Tmp Cheap', 'books', 0, 'USD')`,
    );
    try {
      const second = await list(`sort=price_asc&limit=5&cursor=${first.nextCursor}`);
      const firstIds = new Set(first.items.map((p) => p.id));
      assert.ok(second.items.every((p) => !firstIds.has(p.id)));
      assert.ok(second.items[0]!.price.amountMinor >= first.items.at(-1)!.price.amountMinor);
    } finally {
      await f.pool.query("DELETE FROM products WHERE sku = 'TMP-CHEAP'");
    }
  });
});

describe('filters', () => {
  it('by category', async () => {
    const items = await listAll('category=audio', 100);
    assert.equal(items.length, await activeCount('category = $1', ['audio']));
    assert.ok(items.every((p) => p.category === 'audio'));
  });

  it('by price range (inclusive, minor units), combined with category and sort', async () => {
    const items = await listAll('minPrice=2000&maxPrice=5000&sort=price_asc', 10);
    assert.equal(items.length, await activeCount('price_minor BETWEEN 2000 AND 5000'));
    assert.ok(items.every((p) => p.price.amountMinor >= 2000 && p.price.amountMinor <= 5000));
    const audio = await listAll('category=audio&maxPrice=9999&sort=price_desc', 3);
    assert.ok(audio.length > 0 && audio.every((p) => p.category === 'audio' && p.price.amountMinor <= 9999));
  });

  it('an unknown category is simply empty', async () => {
    assert.deepEqual(await list('category=no-such-thing'), { items: [], nextCursor: null });
  });
});

describe('get one product', () => {
  it('by id and by slug', async () => {
    const id = await productIdBySku(f.pool, 'AUD-001');
    const byId = await f.app.inject({ method: 'GET', url: `/products/${id}` });
    assert.equal(byId.statusCode, 200);
    assert.match(String(byId.headers['content-type']), /^application\/json/);
    const product = byId.json() as ProductBody;
    assert.equal(product.name, 'Wireless Headphones');
    assert.deepEqual(product.price, { amountMinor: 12999, currency: 'USD' });
    const bySlug = await f.app.inject({ method: 'GET', url: `/products/by-slug/${product.slug}` });
    assert.equal(bySlug.statusCode, 200);
    assert.deepEqual(bySlug.json(), product);
  });

  it('answers 304 to a matching If-None-Match, with the same strong ETag', async () => {
    const id = await productIdBySku(f.pool, 'CMP-001');
    const first = await f.app.inject({ method: 'GET', url: `/products/${id}` });
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/, 'strong ETag');
    const again = await f.app.inject({
      method: 'GET',
      url: `/products/${id}`,
      headers: { 'if-none-match': etag },
    });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    const listed = await f.app.inject({
      method: 'GET',
      url: `/products/${id}`,
      headers: { 'if-none-match': `"other", W/${etag}` },
    });
    assert.equal(listed.statusCode, 304, 'weak comparison, lists');
    const stale = await f.app.inject({
      method: 'GET',
      url: `/products/${id}`,
      headers: { 'if-none-match': '"nope"' },
    });
    assert.equal(stale.statusCode, 200);
    const slug = (first.json() as ProductBody).slug;
    const bySlug = await f.app.inject({
      method: 'GET',
      url: `/products/by-slug/${slug}`,
      headers: { 'if-none-match': etag },
    });
    assert.equal(bySlug.statusCode, 304, 'same body, same ETag by slug');
  });

  it('404 problem for unknown id or slug; 400 for a malformed id', async () => {
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/products/00000000-0000-4000-8000-000000000000' }),
      404,
      'product.not_found',
    );
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/products/by-slug/no-such-product' }),
      404,
      'product.not_found',
    );
    const bad = assertProblem(
      await f.app.inject({ method: 'GET', url: '/products/not-a-uuid' }),
      400,
      'validation_failed',
    );
    assert.equal(bad.errors?.[0]?.field, '/id');
    assertProblem(
      await f.app.inject({ method: 'GET', url: "/products/by-slug/Robert');DROP%20TABLE%20products;--" }),
      400,
    );
  });
});

describe('images', () => {
  it('serves each product its generated SVG as image/svg+xml with an ETag', async () => {
    const id = await productIdBySku(f.pool, 'AUD-002');
    const product = (await f.app.inject({ method: 'GET', url: `/products/${id}` })).json() as ProductBody;
    const url = product.images[0]!.url;
    assert.equal(url, `/products/${id}/image.svg`);
    const res = await f.app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^image\/svg\+xml/);
    assert.match(res.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(res.body, /Wireless Noise-Cancelling/);
    const cached = await f.app.inject({
      method: 'GET',
      url,
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    assert.equal(cached.statusCode, 304);
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/products/00000000-0000-4000-8000-000000000000/image.svg' }),
      404,
    );
  });
});

describe('bad read parameters → 4xx problem, never 500, nothing changes', () => {
  const cases: Array<[string, string, number, string]> = [
    ['page size 10^9', '/products?limit=1000000000', 400, '/limit'],
    ['page size 101', '/products?limit=101', 400, '/limit'],
    ['page size 0', '/products?limit=0', 400, '/limit'],
    ['page size not a number', '/products?limit=lots', 400, '/limit'],
    ['page size negative', '/products?limit=-5', 400, '/limit'],
    ['malformed cursor', '/products?cursor=not%20base64!', 400, '/cursor'],
    ['garbage cursor', '/products?cursor=bm90IGEgY3Vyc29y', 400, '/cursor'],
    ['oversized cursor', `/products?cursor=${'A'.repeat(2000)}`, 400, '/cursor'],
    ['unknown sort', '/products?sort=popularity', 400, '/sort'],
    ['negative price', '/products?minPrice=-1', 400, '/minPrice'],
    ['min above max', '/products?minPrice=500&maxPrice=100', 400, '/minPrice'],
    ['lower-case currency', '/products?currency=usd', 400, '/currency'],
    ['unknown parameter', '/products?colour=red', 400, '/colour'],
    ['SQL in category', "/products?category=audio'%20OR%201=1--", 400, '/category'],
    ['parameter on a route that takes none', '/categories?sort=name', 400, '/sort'],
    ['repeated limit', '/products?limit=1&limit=2', 400, '/limit'],
    [
      'review page size 10^9',
      '/products/00000000-0000-4000-8000-000000000000/reviews?limit=1000000000',
      400,
      '/limit',
    ],
    [
      'review cursor garbage',
      '/products/00000000-0000-4000-8000-000000000000/reviews?cursor=xyz',
      400,
      '/cursor',
    ],
  ];
  for (const [name, url, status, field] of cases) {
    it(name, async () => {
      const before = await snapshot(f.pool);
      const problem = assertProblem(await f.app.inject({ method: 'GET', url }), status);
      assert.ok(
        problem.errors?.some((e) => e.field === field),
        `names ${field}: ${JSON.stringify(problem)}`,
      );
      assert.equal(await snapshot(f.pool), before);
    });
  }

  it('a cursor from one sort is refused by another', async () => {
    const page = await list('sort=price_asc&limit=3');
    assertProblem(
      await f.app.inject({ method: 'GET', url: `/products?sort=newest&cursor=${page.nextCursor}` }),
      400,
      'product.invalid_cursor',
    );
  });
});
