// Caller verification as every service does it: real Ed25519 tokens, the attacks RFC 8725 names,
// forged identity headers, revocation, role guards, and the token service's JWKS and revocation
// list fetched over HTTP (with a key rotation).
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestTokenIssuer } from '@shopnow/testkit';
import Fastify from 'fastify';
import { createApp } from '../src/app.ts';
import { StaticDiscovery } from '../src/discovery/static-discovery.ts';
import {
  createIdentity,
  createTokenVerifier,
  InvalidTokenError,
  JWKS_PATH,
  REVOCATIONS_PATH,
  type RevocationPage,
  requireRoles,
  requireService,
  requireUser,
  userOf,
} from '../src/identity/index.ts';
import { captureLogs } from './support/log-capture.ts';

const config = { TOKEN_ISSUER: 'shopnow-token', TOKEN_AUDIENCE: 'shopnow' };

async function appTrusting(issuer: TestTokenIssuer) {
  const app = await createApp({
    service: 'identity-test',
    version: '0.1.0',
    logStream: captureLogs().stream,
  });
  createIdentity({
    service: 'identity-test',
    config,
    keys: issuer.keys,
    revocations: issuer.revocations,
  }).register(app);
  app.get('/me', { preHandler: requireUser }, async (request) => ({
    userId: userOf(request).userId,
    forwarded: request.headers['x-user-id'] ?? null,
  }));
  app.get('/admin', { preHandler: requireRoles('admin') }, async () => ({ ok: true }));
  app.get('/internal', { preHandler: requireService('order') }, async () => ({ ok: true }));
  app.get('/public', async (request) => ({ caller: request.identity?.kind ?? null }));
  return app;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('a valid user token passes; forged identity headers are dropped, with or without a token', async () => {
  const issuer = await TestTokenIssuer.create();
  const app = await appTrusting(issuer);
  try {
    const alice = randomUUID();
    const ok = await app.inject({
      url: '/me',
      headers: { ...bearer(await issuer.user(alice)), 'x-user-id': 'mallory' },
    });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { userId: alice, forwarded: null });

    const forged = await app.inject({ url: '/me', headers: { 'x-user-id': alice, 'x-user-roles': 'admin' } });
    assert.equal(forged.statusCode, 401);
    assert.match(String(forged.headers['content-type']), /application\/problem\+json/);
    assert.match(String(forged.headers['www-authenticate']), /^Bearer/);

    const anonymous = await app.inject({ url: '/public' });
    assert.deepEqual(anonymous.json(), { caller: null });
  } finally {
    await app.close();
  }
});

test('alg none, HS256 keyed with the public key, unknown kid, expired, wrong aud or iss, wrong typ: all 401', async () => {
  const issuer = await TestTokenIssuer.create();
  const other = await TestTokenIssuer.create();
  const app = await appTrusting(issuer);
  try {
    const sub = randomUUID();
    const claims = {
      sub,
      roles: ['admin'],
      tier: 'free',
      jti: randomUUID(),
      iss: issuer.issuer,
      aud: issuer.audience,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const none = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`;
    const publicJwk = JSON.stringify(issuer.jwks().keys[0]);
    const hsInput = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: issuer.kid })}.${b64(claims)}`;
    const hs256 = `${hsInput}.${createHmac('sha256', publicJwk).update(hsInput).digest('base64url')}`;
    const cases: Record<string, string> = {
      none,
      hs256,
      'unknown kid (signed by another key)': await other.user(sub),
      expired: await issuer.user(sub, { expiresIn: -120 }),
      'wrong audience': await issuer.user(sub, { audience: 'someone-else' }),
      'wrong issuer': await issuer.user(sub, { issuer: 'evil' }),
      'refresh-like typ': await issuer.user(sub, { typ: 'JWT' }),
      garbage: 'not.a.token',
    };
    for (const [name, token] of Object.entries(cases)) {
      const res = await app.inject({ url: '/public', headers: bearer(token) });
      assert.equal(res.statusCode, 401, name);
      assert.equal(res.json().code, 'unauthorized', name);
    }
    const malformed = await app.inject({ url: '/me', headers: { authorization: 'Basic abc' } });
    assert.equal(malformed.statusCode, 401);
  } finally {
    await app.close();
  }
});

test('role and service guards: 403 for the wrong caller, 200 for the right one', async () => {
  const issuer = await TestTokenIssuer.create();
  const app = await appTrusting(issuer);
  try {
    const customer = await issuer.user(randomUUID());
    const admin = await issuer.user(randomUUID(), { roles: ['admin'] });
    assert.equal((await app.inject({ url: '/admin', headers: bearer(customer) })).statusCode, 403);
    assert.equal((await app.inject({ url: '/admin', headers: bearer(admin) })).statusCode, 200);
    assert.equal((await app.inject({ url: '/admin' })).statusCode, 401);
    assert.equal((await app.inject({ url: '/internal', headers: bearer(admin) })).statusCode, 403);
    assert.equal(
      (await app.inject({ url: '/internal', headers: bearer(await issuer.service('cart')) })).statusCode,
      403,
    );
    assert.equal(
      (await app.inject({ url: '/internal', headers: bearer(await issuer.service('order')) })).statusCode,
      200,
    );
    assert.equal(
      (await app.inject({ url: '/me', headers: bearer(await issuer.service('order')) })).statusCode,
      403,
    );
  } finally {
    await app.close();
  }
});

test('a revoked session, or every token of a user issued before a revocation, is refused', async () => {
  const issuer = await TestTokenIssuer.create();
  const app = await appTrusting(issuer);
  try {
    const user = randomUUID();
    const sessionId = randomUUID();
    const token = await issuer.user(user, { sessionId });
    const other = await issuer.user(user);
    assert.equal((await app.inject({ url: '/me', headers: bearer(token) })).statusCode, 200);
    issuer.revokeSession(sessionId);
    assert.equal((await app.inject({ url: '/me', headers: bearer(token) })).statusCode, 401);
    assert.equal((await app.inject({ url: '/me', headers: bearer(other) })).statusCode, 200);
    issuer.revokeUser(user);
    assert.equal((await app.inject({ url: '/me', headers: bearer(other) })).statusCode, 401);
  } finally {
    await app.close();
  }
});

test('over HTTP: the JWKS is fetched and refetched after a rotation, revocations are polled', async () => {
  let issuer = await TestTokenIssuer.create();
  const first = issuer;
  let page: RevocationPage = { entries: [], lastSeq: 0 };
  let jwksFetches = 0;
  const tokenService = Fastify();
  tokenService.get(JWKS_PATH, async () => {
    jwksFetches++;
    return { keys: [...first.jwks().keys, ...(issuer === first ? [] : issuer.jwks().keys)] };
  });
  tokenService.get(REVOCATIONS_PATH, async () => page);
  const url = await tokenService.listen({ port: 0, host: '127.0.0.1' });
  const app = await createApp({
    service: 'identity-test',
    version: '0.1.0',
    logStream: captureLogs().stream,
  });
  const identity = createIdentity({
    service: 'identity-test',
    config,
    discovery: new StaticDiscovery(`token=${url}`),
    revocationPollMs: 100,
  });
  identity.register(app);
  app.get('/me', { preHandler: requireUser }, async (request) => ({ userId: userOf(request).userId }));
  await app.ready();
  try {
    const user = randomUUID();
    const before = await first.user(user);
    assert.equal((await app.inject({ url: '/me', headers: bearer(before) })).statusCode, 200);
    assert.equal(jwksFetches, 1);

    issuer = await TestTokenIssuer.create(); // rotation: a new key signs from now on
    await new Promise((resolve) => setTimeout(resolve, 5100)); // past the unknown-kid cooldown
    const after = await issuer.user(user);
    assert.equal((await app.inject({ url: '/me', headers: bearer(after) })).statusCode, 200);
    assert.equal(
      (await app.inject({ url: '/me', headers: bearer(before) })).statusCode,
      200,
      'old key still valid',
    );
    assert.equal(jwksFetches, 2);

    page = {
      entries: [
        {
          seq: 1,
          userId: user,
          notBefore: new Date(Date.now() + 1000).toISOString(),
          expiresAt: new Date(Date.now() + 900_000).toISOString(),
        },
      ],
      lastSeq: 1,
    };
    // poll() joins a timer's poll already in flight, which may have read the page before it changed;
    // the second one starts after it, so it reads the new page.
    await identity.revocations?.poll();
    await identity.revocations?.poll();
    assert.equal((await app.inject({ url: '/me', headers: bearer(after) })).statusCode, 401);
  } finally {
    await app.close();
    await tokenService.close();
  }
});

test('a verified token is remembered: no second signature check, yet expiry and revocation still apply', async () => {
  const issuer = await TestTokenIssuer.create();
  let keyLookups = 0;
  const verifier = createTokenVerifier({
    keys: {
      getKey: (header, token) => {
        keyLookups += 1;
        return issuer.keys.getKey(header, token);
      },
    },
    issuer: config.TOKEN_ISSUER,
    audience: config.TOKEN_AUDIENCE,
    revocations: issuer.revocations,
    clockToleranceSeconds: 0,
    cacheSize: 100,
  });
  const user = randomUUID();
  const sessionId = randomUUID();
  const token = await issuer.user(user, { sessionId });
  assert.equal(verifier.verifyCached(token), undefined, 'not verified yet: no synchronous answer');
  assert.equal((await verifier.verify(token)).kind, 'user');
  assert.equal((await verifier.verify(token)).kind, 'user');
  assert.equal(keyLookups, 1, 'the second use was answered from the cache');
  assert.equal(
    verifier.verifyCached(token),
    await verifier.verify(token),
    'the same identity, synchronously',
  );

  issuer.revokeSession(sessionId);
  await assert.rejects(verifier.verify(token), InvalidTokenError);
  assert.throws(() => verifier.verifyCached(token), InvalidTokenError);

  const shortLived = await issuer.user(randomUUID(), { expiresIn: 1 });
  await verifier.verify(shortLived);
  await sleep(1100);
  await assert.rejects(verifier.verify(shortLived), InvalidTokenError);
});

test("the token service's keys out of reach: 503, not 401 (the token may be good); 200 once they are back", async () => {
  const issuer = await TestTokenIssuer.create();
  let up = false;
  const tokenService = Fastify();
  tokenService.get(JWKS_PATH, async (_request, reply) =>
    up ? issuer.jwks() : reply.code(503).send({ code: 'unavailable' }),
  );
  tokenService.get(REVOCATIONS_PATH, async () => ({ entries: [], lastSeq: 0 }));
  const url = await tokenService.listen({ port: 0, host: '127.0.0.1' });
  const app = await createApp({
    service: 'identity-test',
    version: '0.1.0',
    logStream: captureLogs().stream,
  });
  createIdentity({
    service: 'identity-test',
    config,
    discovery: new StaticDiscovery(`token=${url}`),
  }).register(app);
  app.get('/me', { preHandler: requireUser }, async (request) => ({ userId: userOf(request).userId }));
  await app.ready();
  try {
    const token = await issuer.user(randomUUID());
    const down = await app.inject({ url: '/me', headers: bearer(token) });
    assert.equal(down.statusCode, 503, down.body);
    assert.match(String(down.headers['content-type']), /application\/problem\+json/);
    up = true;
    assert.equal((await app.inject({ url: '/me', headers: bearer(token) })).statusCode, 200);
  } finally {
    await app.close();
    await tokenService.close();
  }
});
