// Service credentials (client credentials grant) and API keys.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { assertProblem, bearer, CLIENT_SECRETS, startToken, type TokenFixture } from './helpers.ts';

let f: TokenFixture;

before(async () => {
  f = await startToken();
});
after(async () => {
  await f?.close();
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
});
const oauth = (headers: Record<string, string>, payload = 'grant_type=client_credentials') =>
  f.app.inject({ method: 'POST', url: '/oauth/token', headers: { ...FORM, ...headers }, payload });

describe('service credentials', () => {
  it('good credentials: a 15-minute token for service:<name>, no roles, enterprise tier', async () => {
    const res = await oauth(basic('order', CLIENT_SECRETS.order));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 900);
    const claims = decodeJwt(body.access_token);
    assert.equal(claims.sub, 'service:order');
    assert.deepEqual(claims.roles, []);
    assert.equal(claims.tier, 'enterprise');
    assert.equal(claims.sid, undefined);
    // It works where a service is asked for.
    const revocations = await f.app.inject({
      method: 'GET',
      url: '/revocations',
      headers: bearer(body.access_token),
    });
    assert.equal(revocations.statusCode, 200);
    // But only auth may start sessions.
    assertProblem(
      await f.app.inject({
        method: 'POST',
        url: '/sessions',
        headers: bearer(body.access_token),
        payload: { userId: randomUUID() },
      }),
      403,
    );
  });

  it('wrong secret, unknown client, no or malformed Authorization: 401 invalid_client', async () => {
    for (const headers of [
      basic('order', 'wrong-secret-0123456789'),
      basic('order', CLIENT_SECRETS.auth),
      basic('nobody', CLIENT_SECRETS.order),
      {},
      { authorization: 'Basic !!!' },
      { authorization: `Bearer ${CLIENT_SECRETS.order}` },
      { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
    ]) {
      const body = assertProblem(await oauth(headers), 401, 'token.invalid_client');
      assert.equal(body.error, 'invalid_client');
    }
  });

  it('another grant type is 400 unsupported_grant_type; a repeated parameter or JSON body is refused', async () => {
    const res = await oauth(basic('order', CLIENT_SECRETS.order), 'grant_type=password');
    assert.equal(assertProblem(res, 400, 'token.unsupported_grant_type').error, 'unsupported_grant_type');
    assertProblem(
      await oauth(
        basic('order', CLIENT_SECRETS.order),
        'grant_type=client_credentials&grant_type=client_credentials',
      ),
      400,
    );
    assertProblem(
      await oauth(basic('order', CLIENT_SECRETS.order), 'grant_type=client_credentials&extra=1'),
      400,
    );
    const json = await f.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...basic('order', CLIENT_SECRETS.order), 'content-type': 'application/json' },
      payload: { grant_type: 'client_credentials' },
    });
    assert.equal(json.statusCode, 200, 'JSON is also accepted (the schema is the same)');
  });
});

async function premiumUser(tier = 'premium') {
  const userId = randomUUID();
  await f.pool.query(
    `insert into subjects (user_id, roles, tier, status, updated_at) values ($1, '{customer}', $2, 'active', now())`,
    [userId, tier],
  );
  return f.login(userId);
}

const createKey = (
  token: string,
  payload: unknown = { name: 'ci', scopes: ['orders:read', 'catalog:read'] },
) => f.app.inject({ method: 'POST', url: '/api-keys', headers: bearer(token), payload: payload as object });
const exchange = (key: string) =>
  f.app.inject({ method: 'POST', url: '/api-keys/exchange', headers: { 'x-api-key': key } });

describe('API keys', () => {
  it('a free-tier user is refused; premium gets a key shown once and stored hashed', async () => {
    const free = await f.login();
    assertProblem(await createKey(free.accessToken), 403, 'token.api_keys_not_allowed');
    const premium = await premiumUser();
    const res = await createKey(premium.accessToken);
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json();
    assert.match(created.key, /^snk_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.tier, 'premium');
    assert.deepEqual(created.scopes, ['orders:read', 'catalog:read']);
    const list = await f.app.inject({
      method: 'GET',
      url: '/api-keys',
      headers: bearer(premium.accessToken),
    });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json().items, [
      {
        id: created.id,
        name: 'ci',
        scopes: created.scopes,
        tier: 'premium',
        createdAt: created.createdAt,
        lastUsedAt: null,
      },
    ]);
    assert.ok(!list.body.includes(created.key.slice(4)), 'never shown again');
    const { rows } = await f.pool.query('select key_hash from api_keys where id = $1', [created.id]);
    assert.equal(rows[0].key_hash.length, 32, 'a SHA-256 digest');
  });

  it('an admin may create keys on any tier', async () => {
    const adminId = randomUUID();
    await f.pool.query(
      `insert into subjects (user_id, roles, tier, status, updated_at) values ($1, '{customer,admin}', 'free', 'active', now())`,
      [adminId],
    );
    const admin = await f.login(adminId);
    assert.equal((await createKey(admin.accessToken)).statusCode, 201);
  });

  it('exchange gives a token with the owner, customer role, key tier, akid and scope; it updates lastUsedAt', async () => {
    const owner = await premiumUser();
    const created = (await createKey(owner.accessToken)).json();
    const res = await exchange(created.key);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().expiresIn, 900);
    const claims = decodeJwt(res.json().accessToken);
    assert.equal(claims.sub, owner.userId);
    assert.deepEqual(claims.roles, ['customer']);
    assert.equal(claims.tier, 'premium');
    assert.equal(claims.akid, created.id);
    assert.equal(claims.scope, 'orders:read catalog:read');
    assert.equal(claims.sid, undefined);
    const list = (
      await f.app.inject({ method: 'GET', url: '/api-keys', headers: bearer(owner.accessToken) })
    ).json();
    assert.equal(typeof list.items[0].lastUsedAt, 'string');
    // An API-key token cannot manage sessions or keys.
    assertProblem(
      await f.app.inject({
        method: 'POST',
        url: '/sessions/logout-all',
        headers: bearer(res.json().accessToken),
      }),
      403,
      'token.session_token_required',
    );
    assertProblem(await createKey(res.json().accessToken), 403, 'token.session_token_required');
  });

  it('unknown, missing and revoked keys are refused; another user’s key is 404 to delete', async () => {
    assertProblem(await exchange('snk_nope'), 401, 'token.api_key_invalid');
    assertProblem(
      await f.app.inject({ method: 'POST', url: '/api-keys/exchange' }),
      401,
      'token.api_key_invalid',
    );
    const owner = await premiumUser();
    const stranger = await premiumUser('enterprise');
    const created = (await createKey(owner.accessToken)).json();
    const del = (token: string, id = created.id) =>
      f.app.inject({ method: 'DELETE', url: `/api-keys/${id}`, headers: bearer(token) });
    assertProblem(await del(stranger.accessToken), 404, 'token.api_key_not_found');
    assert.equal((await exchange(created.key)).statusCode, 200, 'still valid');
    assertProblem(await del(owner.accessToken, randomUUID()), 404);
    assert.equal((await del(owner.accessToken)).statusCode, 204);
    assertProblem(await exchange(created.key), 401, 'token.api_key_invalid');
    assertProblem(await del(owner.accessToken), 404, 'token.api_key_not_found'); // already revoked
    const list = (
      await f.app.inject({ method: 'GET', url: '/api-keys', headers: bearer(owner.accessToken) })
    ).json();
    assert.deepEqual(list.items, []);
  });

  it('an admin may revoke anyone’s key', async () => {
    const owner = await premiumUser();
    const created = (await createKey(owner.accessToken)).json();
    const adminId = randomUUID();
    await f.pool.query(
      `insert into subjects (user_id, roles, tier, status, updated_at) values ($1, '{admin}', 'free', 'active', now())`,
      [adminId],
    );
    const admin = await f.login(adminId);
    const res = await f.app.inject({
      method: 'DELETE',
      url: `/api-keys/${created.id}`,
      headers: bearer(admin.accessToken),
    });
    assert.equal(res.statusCode, 204);
    assertProblem(await exchange(created.key), 401);
  });

  it('a suspended owner’s key is refused with 403', async () => {
    const owner = await premiumUser();
    const created = (await createKey(owner.accessToken)).json();
    await f.pool.query(`update subjects set status = 'suspended' where user_id = $1`, [owner.userId]);
    assertProblem(await exchange(created.key), 403, 'token.subject_suspended');
  });
});
