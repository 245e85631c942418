// Search on real Postgres: ranked full text, the trigram fallback for typos, hostile input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem, type ProductFixture, snapshot, startProduct } from './helpers.ts';

interface SearchBody {
  items: Array<{ id: string; name: string; category: string }>;
  strategy: string;
}

let f: ProductFixture;
before(async () => {
  f = await startProduct();
});
after(async () => {
  await f?.close();
});

async function search(q: string, extra = ''): Promise<SearchBody> {
  const res = await f.app.inject({
    method: 'GET',
    url: `/products/search?q=${encodeURIComponent(q)}${extra}`,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

const isHeadphones = (name: string) => /headphones/i.test(name);

describe('search ranking', () => {
  it('"wireless headphones" returns headphones first (full text)', async () => {
    const result = await search('wireless headphones');
    assert.ok(result.strategy.startsWith('fulltext'));
    assert.equal(result.items[0]?.name, 'Wireless Headphones');
    // All wireless headphones come before anything that is merely wireless.
    const firstOther = result.items.findIndex((p) => !isHeadphones(p.name));
    const headphones = result.items.filter((p) => isHeadphones(p.name) && /wireless/i.test(p.name));
    assert.ok(headphones.length >= 3);
    assert.ok(
      firstOther === -1 || firstOther >= headphones.length,
      JSON.stringify(result.items.map((p) => p.name)),
    );
  });

  it('"wireles hedphones" (typos) still returns headphones first (trigram fallback)', async () => {
    const result = await search('wireles hedphones');
    assert.equal(result.strategy, 'fuzzy');
    assert.ok(result.items.length > 0);
    assert.ok(isHeadphones(result.items[0]!.name), result.items[0]!.name);
    assert.ok(
      result.items.slice(0, 3).every((p) => isHeadphones(p.name)),
      JSON.stringify(result.items.map((p) => p.name)),
    );
  });

  it('ranks name matches above description matches', async () => {
    const result = await search('headphones');
    assert.ok(isHeadphones(result.items[0]!.name));
    // Same stem, same weight: the name that contains the word as typed ranks higher.
    const stand = result.items.findIndex((p) => p.name === 'Walnut Headphone Stand');
    assert.equal(stand, result.items.length - 1, JSON.stringify(result.items.map((p) => p.name)));
  });

  it('finds partial words and filters by category', async () => {
    const partial = await search('headph');
    assert.ok(partial.items.length > 0 && /headphone/i.test(partial.items[0]!.name));
    const inComputing = await search('wireless', '&category=computing');
    assert.ok(inComputing.items.length > 0);
    assert.ok(inComputing.items.every((p) => p.category === 'computing'));
  });

  it('respects limit', async () => {
    assert.ok((await search('wireless', '&limit=2')).items.length <= 2);
  });

  it('returns an empty result for gibberish, not an error', async () => {
    assert.deepEqual((await search('zzqqxxj')).items, []);
  });

  it('never shows inactive products', async () => {
    await f.pool.query("UPDATE products SET active = false WHERE sku = 'AUD-001'");
    try {
      for (const q of ['wireless headphones', 'wireles hedphones']) {
        assert.ok(
          (await search(q)).items.every((p) => p.name !== 'Wireless Headphones'),
          q,
        );
      }
    } finally {
      await f.pool.query("UPDATE products SET active = true WHERE sku = 'AUD-001'");
    }
  });
});

describe('hostile search input: 4xx or a safe result, never 500, data unchanged', () => {
  const injections = [
    "'; DROP TABLE products; --",
    "' OR '1'='1",
    "headphones' UNION SELECT id, sku FROM products --",
    '1); DELETE FROM reviews; --',
    '!!! & | <-> :* ( )',
    'wireless & !headphones',
    '"unterminated',
    '\\x00\\',
    '%_%',
    '😀 emoji',
    'headphones\u0000',
  ];
  for (const q of injections) {
    it(JSON.stringify(q), async () => {
      const before = await snapshot(f.pool);
      const res = await f.app.inject({ method: 'GET', url: `/products/search?q=${encodeURIComponent(q)}` });
      assert.ok(
        res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500),
        `${res.statusCode} ${res.body}`,
      );
      if (res.statusCode !== 200) assertProblem(res, res.statusCode);
      assert.equal(await snapshot(f.pool), before);
    });
  }

  const refused: Array<[string, string, string]> = [
    ['missing q', '/products/search', '/q'],
    ['empty q', '/products/search?q=', '/q'],
    ['punctuation only', `/products/search?q=${encodeURIComponent("'--;")}`, '/q'],
    ['too long', `/products/search?q=${'a'.repeat(201)}`, '/q'],
    ['limit 10^9', '/products/search?q=wireless&limit=1000000000', '/limit'],
    ['unknown parameter', '/products/search?q=wireless&page=2', '/page'],
  ];
  for (const [name, url, field] of refused) {
    it(`refuses ${name}`, async () => {
      const problem = assertProblem(await f.app.inject({ method: 'GET', url }), 400);
      assert.ok(
        problem.errors?.some((e) => e.field === field),
        JSON.stringify(problem),
      );
    });
  }
});
