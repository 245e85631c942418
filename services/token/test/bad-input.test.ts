// Bad input on every route is a 4xx application/problem+json, never a 500: a walk over the route
// table with malformed ids, wrong types, oversized and unknown fields, and wrong content types.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { assertProblem, bearer, CLIENT_SECRETS, startToken, type TokenFixture } from './helpers.ts';

let f: TokenFixture;
let user: Record<string, string>;
let premium: Record<string, string>;
let auth: Record<string, string>;

before(async () => {
  f = await startToken();
  auth = await f.serviceAuth('auth');
  user = bearer((await f.login()).accessToken);
  const premiumId = randomUUID();
  await f.pool.query(
    `insert into subjects (user_id, roles, tier, status, updated_at) values ($1, '{customer}', 'premium', 'active', now())`,
    [premiumId],
  );
  premium = bearer((await f.login(premiumId)).accessToken);
});
after(async () => {
  await f?.close();
});

const uuid = randomUUID();
const long = (n: number) => 'x'.repeat(n);
const basic = { authorization: `Basic ${Buffer.from(`auth:${CLIENT_SECRETS.auth}`).toString('base64')}` };
const form = { ...basic, 'content-type': 'application/x-www-form-urlencoded' };

function cases(): Array<[string, InjectOptions]> {
  const post = (url: string, headers: Record<string, string>, payload: unknown): InjectOptions => ({
    method: 'POST',
    url,
    headers,
    payload: payload as string,
  });
  return [
    ['sessions: empty body', post('/sessions', auth, {})],
    ['sessions: userId not a uuid', post('/sessions', auth, { userId: 'alice' })],
    ['sessions: userId a number', post('/sessions', auth, { userId: 5 })],
    ['sessions: unknown field', post('/sessions', auth, { userId: uuid, admin: true })],
    ['sessions: unknown device field', post('/sessions', auth, { userId: uuid, device: { os: 'x' } })],
    [
      'sessions: oversized userAgent',
      post('/sessions', auth, { userId: uuid, device: { userAgent: long(501) } }),
    ],
    [
      'sessions: NUL in userAgent',
      post('/sessions', auth, { userId: uuid, device: { userAgent: 'a\u0000b' } }),
    ],
    ['sessions: ip not an address', post('/sessions', auth, { userId: uuid, device: { ip: 'evil host' } })],
    ['sessions: array body', post('/sessions', auth, [uuid])],
    [
      'sessions: not JSON',
      {
        method: 'POST',
        url: '/sessions',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: '{"userId":',
      },
    ],
    [
      'sessions: text/plain',
      { method: 'POST', url: '/sessions', headers: { ...auth, 'content-type': 'text/plain' }, payload: uuid },
    ],
    [
      'sessions: form body',
      {
        method: 'POST',
        url: '/sessions',
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `userId=${uuid}`,
      },
    ],
    ['refresh: empty body', post('/sessions/refresh', {}, {})],
    ['refresh: number', post('/sessions/refresh', {}, { refreshToken: 5 })],
    ['refresh: empty token', post('/sessions/refresh', {}, { refreshToken: '' })],
    ['refresh: oversized', post('/sessions/refresh', {}, { refreshToken: long(300) })],
    ['refresh: unknown field', post('/sessions/refresh', {}, { refreshToken: 'abc', sessionId: uuid })],
    ['delete session: not a uuid', { method: 'DELETE', url: '/sessions/123', headers: user }],
    ['delete session: oversized id', { method: 'DELETE', url: `/sessions/${long(200)}`, headers: user }],
    ['admin revoke: not a uuid', { method: 'POST', url: '/admin/users/bob/sessions/revoke', headers: user }],
    ['revocations: negative after', { method: 'GET', url: '/revocations?after=-1', headers: auth }],
    ['revocations: after not a number', { method: 'GET', url: '/revocations?after=abc', headers: auth }],
    ['revocations: after a fraction', { method: 'GET', url: '/revocations?after=1.5', headers: auth }],
    ['revocations: unknown parameter', { method: 'GET', url: '/revocations?limit=5', headers: auth }],
    ['oauth: no grant_type', { method: 'POST', url: '/oauth/token', headers: form, payload: 'scope=x' }],
    [
      'oauth: oversized scope',
      {
        method: 'POST',
        url: '/oauth/token',
        headers: form,
        payload: `grant_type=client_credentials&scope=${long(1001)}`,
      },
    ],
    [
      'oauth: text/plain',
      {
        method: 'POST',
        url: '/oauth/token',
        headers: { ...basic, 'content-type': 'text/plain' },
        payload: 'grant_type=client_credentials',
      },
    ],
    ['api key: empty name', post('/api-keys', premium, { name: '', scopes: ['orders:read'] })],
    ['api key: long name', post('/api-keys', premium, { name: long(101), scopes: ['orders:read'] })],
    ['api key: NUL in name', post('/api-keys', premium, { name: 'a\u0000', scopes: ['orders:read'] })],
    ['api key: no scopes', post('/api-keys', premium, { name: 'x', scopes: [] })],
    ['api key: unknown scope', post('/api-keys', premium, { name: 'x', scopes: ['admin:all'] })],
    [
      'api key: repeated scope',
      post('/api-keys', premium, { name: 'x', scopes: ['orders:read', 'orders:read'] }),
    ],
    ['api key: scopes a string', post('/api-keys', premium, { name: 'x', scopes: 'orders:read' })],
    [
      'api key: unknown field',
      post('/api-keys', premium, { name: 'x', scopes: ['orders:read'], tier: 'enterprise' }),
    ],
    ['delete api key: not a uuid', { method: 'DELETE', url: '/api-keys/42', headers: premium }],
    [
      'exchange: oversized key',
      { method: 'POST', url: '/api-keys/exchange', headers: { 'x-api-key': long(201) } },
    ],
    [
      'garbage bearer on a user route',
      { method: 'GET', url: '/sessions', headers: { authorization: 'Bearer @@@' } },
    ],
    ['unknown route', { method: 'GET', url: '/sessions/x/y/z', headers: user }],
  ];
}

describe('bad input', () => {
  it('every case is a 4xx problem+json, and nothing was written', async () => {
    const before = await counts();
    for (const [name, request] of cases()) {
      const res = await f.app.inject(request);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode} ${res.body}`);
      assertProblem(res, res.statusCode);
    }
    assert.deepEqual(await counts(), before);
  });

  it('validation problems name the field', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: premium,
      payload: { name: 'x', scopes: ['admin:all'] },
    });
    const body = assertProblem(res, 400, 'validation_failed');
    assert.ok(JSON.stringify(body.errors).includes('/scopes/0'), JSON.stringify(body.errors));
  });

  it('routes that need a caller refuse an anonymous one with 401', async () => {
    for (const [method, url] of [
      ['GET', '/sessions'],
      ['POST', '/sessions/logout'],
      ['POST', '/sessions/logout-all'],
      ['DELETE', `/sessions/${uuid}`],
      ['POST', `/admin/users/${uuid}/sessions/revoke`],
      ['GET', '/revocations'],
      ['POST', '/api-keys'],
      ['GET', '/api-keys'],
      ['DELETE', `/api-keys/${uuid}`],
    ] as const) {
      const res = await f.app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
      assertProblem(res, 401);
    }
    // And a user may not start sessions (auth only).
    assertProblem(
      await f.app.inject({ method: 'POST', url: '/sessions', headers: user, payload: { userId: uuid } }),
      403,
    );
  });
});

async function counts(): Promise<string> {
  const { rows } = await f.pool.query(
    `select (select count(*) from sessions) s, (select count(*) from refresh_tokens) r,
            (select count(*) from api_keys) k, (select count(*) from revocations) v`,
  );
  return JSON.stringify(rows[0]);
}
