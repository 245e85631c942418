// Two replicas on one database: a revocation made by one is refused by the other within its 2 s
// reload, and a key rotation is signed with by both within their key cache.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { App } from '@shopnow/chassis';
import { createPostgresTransport } from '@shopnow/events';
import { decodeProtectedHeader } from 'jose';
import { buildApp } from '../src/app.ts';
import { parseServiceClients } from '../src/domain/service-clients.ts';
import { rotateKeys } from '../src/keys/key-management.ts';
import { bearer, eventually, SERVICE_CLIENTS, startToken, type TokenFixture } from './helpers.ts';

let f: TokenFixture;
let replica: App;

before(async () => {
  f = await startToken({ keyCacheMs: 300 });
  replica = await buildApp({
    keyCacheMs: 300,
    transport: createPostgresTransport({ connectionString: f.bus.url }),
    config: {
      TOKEN_ISSUER: 'shopnow-token',
      TOKEN_AUDIENCE: 'shopnow',
      SERVICE_CLIENTS: parseServiceClients(SERVICE_CLIENTS),
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 1_048_576,
    },
    db: f.pool,
  });
  await replica.ready();
});
after(async () => {
  await replica?.close();
  await f?.close();
});

describe('replicas', () => {
  it('a logout on one replica is refused on the other within seconds', async () => {
    const pair = await f.login();
    const onReplica = () =>
      replica.inject({ method: 'GET', url: '/sessions', headers: bearer(pair.accessToken) });
    assert.equal((await onReplica()).statusCode, 200);
    const res = await f.app.inject({
      method: 'POST',
      url: '/sessions/logout',
      headers: bearer(pair.accessToken),
    });
    assert.equal(res.statusCode, 204);
    const started = Date.now();
    await eventually(
      'the replica refuses the token',
      async () => (await onReplica()).statusCode === 401,
      5000,
    );
    assert.ok(Date.now() - started < 3000, 'within the 2 s reload');
  });

  it('both replicas sign with the rotated key; a token from either verifies on the other', async () => {
    const { kid } = await rotateKeys(f.pool);
    const auth = await f.serviceAuth('auth');
    let token = '';
    await eventually(
      'the replica signs with the new key',
      async () => {
        const res = await replica.inject({
          method: 'POST',
          url: '/sessions',
          headers: auth,
          payload: { userId: randomUUID() },
        });
        assert.equal(res.statusCode, 201, res.body);
        token = res.json().accessToken;
        return decodeProtectedHeader(token).kid === kid;
      },
      3000,
    );
    await eventually(
      'this one does too',
      async () => decodeProtectedHeader((await f.login()).accessToken).kid === kid,
      3000,
    );
    const check = await f.app.inject({
      method: 'GET',
      url: '/sessions',
      headers: bearer(token),
    });
    assert.equal(check.statusCode, 200);
  });
});
