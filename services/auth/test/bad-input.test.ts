// Every route refuses bad bodies with a 4xx problem+json, never a 500: wrong types, missing and
// unknown fields, oversized values, malformed emails and tokens, non-JSON bodies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AuthFixture, assertProblem, startAuth } from './helpers.ts';

let f: AuthFixture;
let userAuth: Record<string, string>;
before(async () => {
  f = await startAuth();
  userAuth = { authorization: `Bearer ${await f.issuer.user('00000000-0000-4000-8000-000000000001')}` };
});
after(async () => {
  await f?.close();
});

const TOKEN = 'A'.repeat(43);
const routes: Array<{ url: string; valid: Record<string, unknown>; user?: boolean }> = [
  { url: '/register', valid: { email: 'a@example.com', password: 'long-enough-pw', displayName: 'A' } },
  { url: '/login', valid: { email: 'a@example.com', password: 'long-enough-pw' } },
  { url: '/verify-email', valid: { token: TOKEN } },
  { url: '/password-reset/request', valid: { email: 'a@example.com' } },
  { url: '/password-reset/confirm', valid: { token: TOKEN, newPassword: 'long-enough-pw' } },
  {
    url: '/password/change',
    valid: { currentPassword: 'long-enough-pw', newPassword: 'long-enough-pw2' },
    user: true,
  },
];

function badBodies(valid: Record<string, unknown>): Array<[string, unknown]> {
  const bodies: Array<[string, unknown]> = [
    ['no body fields', {}],
    ['an array', [valid]],
    ['a string', 'hello'],
    ['null', null],
    ['an unknown field', { ...valid, isAdmin: true }],
  ];
  for (const key of Object.keys(valid)) {
    const { [key]: _dropped, ...missing } = valid;
    bodies.push([`missing ${key}`, missing]);
    bodies.push([`${key} a number`, { ...valid, [key]: 12345678 }]);
    bodies.push([`${key} an object`, { ...valid, [key]: { $ne: null } }]);
    bodies.push([`${key} empty`, { ...valid, [key]: '' }]);
    bodies.push([`${key} huge`, { ...valid, [key]: 'x'.repeat(5000) }]);
    // Passwords may hold any character (NIST 800-63B); every other field refuses U+0000.
    if (!/password/i.test(key))
      bodies.push([`${key} with NUL`, { ...valid, [key]: 'abc\u0000defghijk@example.com' }]);
  }
  if ('email' in valid) {
    for (const email of [
      'plainaddress',
      'a@@example.com',
      'a@example',
      `${'x'.repeat(245)}@example.com`,
      ' @ ',
    ]) {
      bodies.push([`email ${email.slice(0, 20)}`, { ...valid, email }]);
    }
  }
  if ('token' in valid) bodies.push(['token not base64url', { ...valid, token: `${'A'.repeat(42)}=` }]);
  return bodies;
}

describe('bad input on every route', () => {
  for (const route of routes) {
    it(`POST ${route.url}: every bad body is a 4xx problem`, async () => {
      for (const [what, payload] of badBodies(route.valid)) {
        const res = await f.app.inject({
          method: 'POST',
          url: route.url,
          headers: { 'content-type': 'application/json', ...(route.user ? userAuth : {}) },
          payload: JSON.stringify(payload),
        });
        assert.ok(
          res.statusCode >= 400 && res.statusCode < 500,
          `${route.url} ${what}: ${res.statusCode} ${res.body}`,
        );
        assertProblem(res, res.statusCode);
      }
    });

    it(`POST ${route.url}: malformed JSON and a non-JSON content type are 4xx problems`, async () => {
      const headers = route.user ? userAuth : {};
      const malformed = await f.app.inject({
        method: 'POST',
        url: route.url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: '{"email": ',
      });
      assertProblem(malformed, 400);
      const text = await f.app.inject({
        method: 'POST',
        url: route.url,
        headers: { ...headers, 'content-type': 'text/plain' },
        payload: 'email=a@example.com',
      });
      assertProblem(text, 415);
    });
  }
});
