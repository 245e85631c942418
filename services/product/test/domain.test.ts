// Pure rules: no database, no HTTP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from '../src/domain/cursor.ts';
import { isCurrency, isPriceMinor, priceProblems } from '../src/domain/money.ts';
import { decodeProductCursor, encodeProductCursor } from '../src/domain/product-sort.ts';
import { isRating, summariseRatings } from '../src/domain/rating.ts';
import { decodeReviewCursor, encodeReviewCursor } from '../src/domain/review-cursor.ts';
import { fuzzyTopUp, normaliseSearchQuery } from '../src/domain/search-query.ts';
import { isSlug, slugify } from '../src/domain/slug.ts';
import { renderProductSvg } from '../src/images/product-svg.ts';
import { seedReviewsFor } from '../src/seed/reviews.ts';
import { stableUuid } from '../src/seed/stable-uuid.ts';

const ID = '0b9e2c54-3f7e-4b1a-9d3c-6a1f0e2d4c5b';

describe('money', () => {
  it('accepts integer minor units from 0 to MAX_SAFE_INTEGER only', () => {
    assert.ok(isPriceMinor(0));
    assert.ok(isPriceMinor(12999));
    assert.ok(isPriceMinor(Number.MAX_SAFE_INTEGER));
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1]) {
      assert.equal(isPriceMinor(bad), false, String(bad));
    }
  });

  it('knows ISO 4217 codes and refuses made-up or lower-case ones', () => {
    assert.ok(isCurrency('USD'));
    assert.ok(isCurrency('JPY'));
    assert.equal(isCurrency('usd'), false);
    assert.equal(isCurrency('ZZZ'), false);
    assert.equal(isCurrency('US'), false);
  });

  it('names each bad field', () => {
    assert.deepEqual(
      priceProblems({ amountMinor: -5, currency: 'XYZ' }).map((p) => p.field),
      ['amountMinor', 'currency'],
    );
    assert.deepEqual(priceProblems({ amountMinor: 100, currency: 'EUR' }), []);
  });
});

describe('slug', () => {
  it('makes URL-safe slugs from names', () => {
    assert.equal(slugify('Wireless Noise-Cancelling Headphones'), 'wireless-noise-cancelling-headphones');
    assert.equal(slugify("Kids' Wireless Headphones"), 'kids-wireless-headphones');
    assert.equal(slugify('  Café  Crème (Large)  '), 'cafe-creme-large');
    assert.equal(slugify('!!!'), '');
    assert.ok(slugify('x '.repeat(200)).length <= 100);
    assert.ok(isSlug(slugify('x '.repeat(200))));
  });

  it('checks the slug shape', () => {
    assert.ok(isSlug('wireless-headphones'));
    for (const bad of ['Wireless', '-a', 'a-', 'a--b', 'a b', '', 'a'.repeat(101)])
      assert.equal(isSlug(bad), false, bad);
  });
});

describe('rating', () => {
  it('accepts whole stars 1..5', () => {
    for (const ok of [1, 2, 3, 4, 5]) assert.ok(isRating(ok));
    for (const bad of [0, 6, 4.5, -1, Number.NaN]) assert.equal(isRating(bad), false, String(bad));
  });

  it('averages to two decimals, half up, without float drift', () => {
    assert.deepEqual(summariseRatings(0, 0), { average: 0, count: 0 });
    assert.deepEqual(summariseRatings(9, 2), { average: 4.5, count: 2 });
    assert.deepEqual(summariseRatings(14, 3), { average: 4.67, count: 3 });
    assert.deepEqual(summariseRatings(10, 3), { average: 3.33, count: 3 });
    assert.deepEqual(summariseRatings(187, 40), { average: 4.68, count: 40 }); // 4.675 rounds up
  });
});

describe('cursors', () => {
  it('round-trip every product sort', () => {
    const keys = [
      { sort: 'newest', createdAt: '2025-01-06T09:00:00.123Z', id: ID },
      { sort: 'price_asc', priceMinor: 12999, id: ID },
      { sort: 'price_desc', priceMinor: 0, id: ID },
      { sort: 'rating', ratingAvg: '4.50', ratingCount: 12, id: ID },
    ] as const;
    for (const key of keys) {
      const cursor = encodeProductCursor(key);
      assert.match(cursor, /^[A-Za-z0-9_-]+$/, 'base64url');
      assert.deepEqual(decodeProductCursor(cursor, key.sort), key);
    }
  });

  it('refuse a cursor made for another sort', () => {
    const cursor = encodeProductCursor({ sort: 'price_asc', priceMinor: 100, id: ID });
    assert.equal(decodeProductCursor(cursor, 'price_desc'), undefined);
    assert.equal(decodeProductCursor(cursor, 'newest'), undefined);
  });

  it('refuse malformed text without throwing', () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad = [
      '',
      'not a cursor',
      '!!!!',
      '%%%',
      'eyJ', // truncated JSON
      'a'.repeat(600),
      forged(null),
      forged([1, 2]),
      forged({ k: 'products:price_asc' }),
      forged({ k: 'products:price_asc', v: [-1, ID] }),
      forged({ k: 'products:price_asc', v: [1.5, ID] }),
      forged({ k: 'products:price_asc', v: ['1; DROP TABLE products', ID] }),
      forged({ k: 'products:price_asc', v: [100, 'not-a-uuid'] }),
      forged({ k: 'products:price_asc', v: [100, ID, 'extra'] }),
      forged({ k: 'products:newest', v: ['yesterday', ID] }),
      forged({ k: 'products:rating', v: ['9.99', 1, ID] }),
    ];
    for (const text of bad) {
      assert.equal(decodeProductCursor(text, 'price_asc'), undefined, text);
      assert.equal(decodeProductCursor(text, 'newest'), undefined, text);
      assert.equal(decodeProductCursor(text, 'rating'), undefined, text);
    }
    assert.equal(
      decodeCursor(encodeCursor('x', [1]), 'y', () => true),
      undefined,
    );
  });

  it('round-trip review keys', () => {
    const key = { createdAt: '2025-02-01T10:00:00.000Z', id: ID };
    assert.deepEqual(decodeReviewCursor(encodeReviewCursor(key)), key);
    assert.equal(decodeReviewCursor(encodeProductCursor({ sort: 'newest', ...key })), undefined);
  });
});

describe('search query', () => {
  it('cleans whitespace and control characters and splits words', () => {
    assert.deepEqual(normaliseSearchQuery('  Wireless\t\u0000HEADPHONES  '), {
      text: 'Wireless HEADPHONES',
      words: ['wireless', 'headphones'],
    });
    assert.deepEqual(normaliseSearchQuery("'; DROP TABLE products; --")?.words, [
      'drop',
      'table',
      'products',
    ]);
  });

  it('has nothing to search in punctuation or blanks', () => {
    for (const empty of ['', '   ', '!!!', "' OR 1=1 --".replace(/[\w]/g, '')]) {
      assert.equal(normaliseSearchQuery(empty), undefined, empty);
    }
  });

  it('bounds length and word count', () => {
    const q = normaliseSearchQuery('word '.repeat(100));
    assert.ok(q !== undefined && q.text.length <= 200 && q.words.length === 1);
    assert.equal(normaliseSearchQuery('a b c d e f g h i j k')?.words.length, 8);
  });

  it('tops up with fuzzy matches only when full text found too little', () => {
    assert.equal(fuzzyTopUp(0, 20), 20);
    assert.equal(fuzzyTopUp(3, 20), 17);
    assert.equal(fuzzyTopUp(5, 20), 0);
    assert.equal(fuzzyTopUp(2, 2), 0);
    assert.equal(fuzzyTopUp(1, 2), 1);
  });
});

describe('product images', () => {
  it('render deterministic, escaped SVG', () => {
    const subject = { slug: 'x', name: 'Evil <script>alert(1)</script> & "quotes"', category: 'audio' };
    const svg = renderProductSvg(subject);
    assert.equal(svg, renderProductSvg(subject));
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /<script/);
    assert.match(svg, /&#60;script&#62;/);
  });

  it('wrap long names onto at most three lines', () => {
    const svg = renderProductSvg({ slug: 'y', name: 'word '.repeat(40), category: 'unknown' });
    assert.ok((svg.match(/<text x="240" y="\d+">/g) ?? []).length <= 3);
  });
});

describe('seed helpers', () => {
  it('derive stable version-8 UUIDs', () => {
    assert.equal(stableUuid('a'), stableUuid('a'));
    assert.notEqual(stableUuid('a'), stableUuid('b'));
    assert.match(stableUuid('a'), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('make at most one review per user per product, ratings 1..5', () => {
    const reviews = seedReviewsFor('AUD-001');
    assert.equal(new Set(reviews.map((r) => r.userId)).size, reviews.length);
    for (const r of reviews) assert.ok(isRating(r.rating));
  });
});
