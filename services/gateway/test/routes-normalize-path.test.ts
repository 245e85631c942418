import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_URL_LENGTH, normalizePath, urlLengthOk } from '../src/routes/normalize-path.ts';

// [raw request target, expected path (or an error substring), expected query]
const accepted: [string, string, string][] = [
  ['/', '/', ''],
  ['/api/products', '/api/products', ''],
  ['/api/products/', '/api/products/', ''],
  ['/api//products', '/api/products', ''],
  ['//api///products//', '/api/products/', ''],
  ['/./api/products', '/api/products', ''],
  ['/api/./products/.', '/api/products/', ''],
  ['/api/products/%2e%2e/admin', '/api/admin', ''],
  ['/api/products/%2E./admin', '/api/admin', ''],
  ['/api/products/.%2E/admin', '/api/admin', ''],
  ['/api/products/1/..', '/api/products/', ''],
  ['/api/pr%6fducts', '/api/products', ''],
  ['/api/products/%7e%41', '/api/products/~A', ''],
  ['/api/products/a%20b', '/api/products/a%20b', ''],
  ['/api/products/a%2cb', '/api/products/a%2Cb', ''],
  ['/api/products/%252e%252e', '/api/products/%252e%252e', ''],
  ['/api/products/caf%C3%A9', '/api/products/caf%C3%A9', ''],
  ['/api/products/café', '/api/products/caf%C3%A9', ''],
  ['/api/products/😀', '/api/products/%F0%9F%98%80', ''],
  ['/api/products/a b', '/api/products/a%20b', ''],
  ['/api/products/{x}', '/api/products/%7Bx%7D', ''],
  ['/api/products?q=a%2Fb&x=..%2F', '/api/products', 'q=a%2Fb&x=..%2F'],
  ['/api/products?', '/api/products', ''],
  ['/api/products/...', '/api/products/...', ''],
  ['/api/products/..a', '/api/products/..a', ''],
  ['/api/products/:id;v=1', '/api/products/:id;v=1', ''],
  ['http://evil.example/api/products?x=1', '/api/products', 'x=1'],
  ['http://evil.example', '/', ''],
];

const refused: [string, string][] = [
  ['/..', 'above the root'],
  ['/api/../..', 'above the root'],
  ['/%2e%2e/etc/passwd', 'above the root'],
  ['/api/products/../../../etc/passwd', 'above the root'],
  ['/api/products/..%2Fadmin', 'encoded slash'],
  ['/api/products/%2F', 'encoded slash'],
  ['/api/products/%2f..', 'encoded slash'],
  ['/api/products/..%5Cadmin', 'encoded backslash'],
  ['/api/products/..\\admin', 'backslash'],
  ['/api/products/%00', 'control'],
  ['/api/products/%0d%0aX-User-ID:1', 'control'],
  ['/api/products/\u0001', 'control'],
  ['/api/products/%', 'malformed percent'],
  ['/api/products/%zz', 'malformed percent'],
  ['/api/products/%4', 'malformed percent'],
  ['/api/products/%C3', 'malformed UTF-8'],
  ['/api/products/%FF', 'malformed UTF-8'],
  ['/api/products/\ud800', 'malformed unicode'],
  ['/api/products/..;/admin', 'dot segment'],
  ['/api/products/.;x', 'dot segment'],
  ['/api/products#frag', 'fragment'],
  ['*', 'must start with /'],
  ['api/products', 'must start with /'],
  ['/api?x=\u0000', 'control'],
];

describe('normalizePath', () => {
  for (const [raw, path, query] of accepted) {
    it(`accepts ${JSON.stringify(raw)} as ${path}`, () => {
      assert.deepEqual(normalizePath(raw), { path, query });
    });
  }
  for (const [raw, why] of refused) {
    it(`refuses ${JSON.stringify(raw)} (${why})`, () => {
      const result = normalizePath(raw);
      assert.ok('error' in result, `expected an error, got ${JSON.stringify(result)}`);
      assert.equal(result.status, 400);
      assert.match(result.error, new RegExp(why, 'i'));
    });
  }

  it('refuses an overlong target with 414, and takes a custom limit', () => {
    const long = `/api/products/${'a'.repeat(MAX_URL_LENGTH)}`;
    assert.equal(urlLengthOk(long), false);
    assert.deepEqual(normalizePath(long), { error: 'request target too long', status: 414 });
    assert.deepEqual(normalizePath('/abcdef', { maxLength: 4 }), {
      error: 'request target too long',
      status: 414,
    });
    assert.deepEqual(normalizePath(`/${'a'.repeat(100)}`, { maxLength: 101 }), {
      path: `/${'a'.repeat(100)}`,
      query: '',
    });
  });

  it('is idempotent: a normalised path normalises to itself', () => {
    for (const [raw] of accepted) {
      const once = normalizePath(raw);
      assert.ok('path' in once);
      assert.deepEqual(normalizePath(once.path), { path: once.path, query: '' });
    }
  });

  it('never yields a path outside its prefix from random hostile spellings', () => {
    const parts = ['..', '.', '%2e%2e', '%2E.', '.%2e', '', 'a', '%2e', '..;', '%2f', '\\', '%5c', 'admin'];
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let n = 0; n < 5000; n++) {
      const segs = Array.from({ length: 1 + (rnd() % 6) }, () => parts[rnd() % parts.length]);
      const raw = `/api/products/${segs.join('/')}`;
      const result = normalizePath(raw);
      if ('error' in result) continue;
      for (const seg of result.path.split('/'))
        assert.ok(seg !== '..' && seg !== '.', `${raw} → ${result.path}`);
      assert.ok(!result.path.includes('//'), `${raw} → ${result.path}`);
      assert.ok(!/%2f|%5c|\\/i.test(result.path), `${raw} → ${result.path}`);
      // Only as many levels up as the raw path went down: count ups vs downs after the prefix.
      if (!result.path.startsWith('/api/products')) {
        assert.ok(
          segs.some((s) => s === '..' || /^(%2e|\.)(%2e|\.)$/i.test(s!)),
          `${raw} → ${result.path}`,
        );
      }
    }
  });
});
