// Signing keys and access tokens: the JWKS, the token's exact shape, and key rotation (old tokens
// still verify, new ones carry the new kid, the retired key leaves the JWKS after its window),
// including the `rotate-keys` admin command run as a process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTokenVerifier, localKeySource } from '@shopnow/chassis';
import { decodeJwt, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { rotateKeys } from '../src/keys/key-management.ts';
import { bearer, startToken, type TokenFixture } from './helpers.ts';

const ADMIN = fileURLToPath(new URL('../src/admin.ts', import.meta.url));
const RETIRED_WINDOW_MS = 1500;
let f: TokenFixture;

before(async () => {
  f = await startToken({ retiredKeyWindowMs: RETIRED_WINDOW_MS, keyCacheMs: 200 });
});
after(async () => {
  await f?.close();
});

async function jwks(): Promise<JSONWebKeySet> {
  const res = await f.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'public, max-age=60');
  return res.json();
}

const verifierFor = (set: JSONWebKeySet) =>
  createTokenVerifier({ keys: localKeySource(() => set), issuer: 'shopnow-token', audience: 'shopnow' });

describe('keys and access tokens', () => {
  it('serves one Ed25519 public key at start, with kid, alg and use, and no private part', async () => {
    const { keys } = await jwks();
    assert.equal(keys.length, 1);
    const [key] = keys;
    assert.equal(key?.kty, 'OKP');
    assert.equal(key?.crv, 'Ed25519');
    assert.equal(key?.alg, 'EdDSA');
    assert.equal(key?.use, 'sig');
    assert.equal(typeof key?.kid, 'string');
    assert.equal((key as Record<string, unknown>).d, undefined, 'never the private key');
  });

  it('an access token has the RFC 9068 header and every claim the brief names', async () => {
    const device = { userAgent: 'test-agent', ip: '203.0.113.7' };
    const pair = await f.login(randomUUID(), device);
    assert.equal(pair.tokenType, 'Bearer');
    assert.equal(pair.expiresIn, 900);
    assert.match(pair.refreshToken, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    const header = decodeProtectedHeader(pair.accessToken);
    assert.deepEqual(
      { alg: header.alg, typ: header.typ, kid: header.kid },
      { alg: 'EdDSA', typ: 'at+jwt', kid: (await jwks()).keys[0]?.kid },
    );
    const claims = decodeJwt(pair.accessToken);
    assert.equal(claims.iss, 'shopnow-token');
    assert.equal(claims.aud, 'shopnow');
    assert.equal(claims.sub, pair.userId);
    assert.deepEqual(claims.roles, ['customer'], 'unknown user: a customer');
    assert.equal(claims.tier, 'free');
    assert.equal(claims.sid, pair.sessionId);
    assert.equal(typeof claims.jti, 'string');
    assert.equal((claims.exp as number) - (claims.iat as number), 900);
    const identity = await verifierFor(await jwks()).verify(pair.accessToken);
    assert.equal(identity.kind, 'user');
    // The refresh token is stored only as a digest.
    const { rows } = await f.pool.query(
      'select token_hash from refresh_tokens rt join sessions s on s.id = rt.session_id where s.id = $1',
      [pair.sessionId],
    );
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0].token_hash.toString('base64url'), pair.refreshToken);
  });

  it('rotation: old tokens verify, new ones use the new kid, both are published, the old key drops after its window', async () => {
    const before = await f.login();
    const oldKid = decodeProtectedHeader(before.accessToken).kid;
    const { kid: newKid, retired } = await rotateKeys(f.pool);
    assert.deepEqual(retired, [oldKid]);
    await sleep(300); // past the key cache
    const afterRotation = await f.login();
    assert.equal(decodeProtectedHeader(afterRotation.accessToken).kid, newKid);
    const kids = (await jwks()).keys.map((key) => key.kid).sort();
    assert.deepEqual(kids, [oldKid, newKid].sort());
    // Both verify, here and at any verifier holding the JWKS.
    for (const token of [before.accessToken, afterRotation.accessToken]) {
      const res = await f.app.inject({ method: 'GET', url: '/sessions', headers: bearer(token) });
      assert.equal(res.statusCode, 200, res.body);
      await verifierFor(await jwks()).verify(token);
    }
    await sleep(RETIRED_WINDOW_MS + 300);
    assert.deepEqual(
      (await jwks()).keys.map((key) => key.kid),
      [newKid],
    );
    const stale = await f.app.inject({
      method: 'GET',
      url: '/sessions',
      headers: bearer(before.accessToken),
    });
    assert.equal(stale.statusCode, 401, 'a key out of the JWKS verifies nothing');
  });

  it('the rotate-keys admin command rotates; this running app signs with the new key within its cache time', async () => {
    const current = decodeProtectedHeader((await f.login()).accessToken).kid;
    const { stdout } = await promisify(execFile)(process.execPath, [ADMIN, 'rotate-keys'], {
      env: { ...process.env, DATABASE_URL: f.db.url, LOG_LEVEL: 'silent' },
    });
    // The kid is the one line that is not a (JSON) log line; log lines may come before or after it.
    const newKid = stdout.split('\n').find((line) => line !== '' && !line.startsWith('{'));
    assert.ok(newKid && newKid !== current);
    await sleep(300);
    assert.equal(decodeProtectedHeader((await f.login()).accessToken).kid, newKid);
    const { rows } = await f.pool.query('select retired_at from signing_keys where kid = $1', [current]);
    assert.ok(rows[0].retired_at instanceof Date);
  });
});
