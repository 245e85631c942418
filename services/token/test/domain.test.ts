// The pure rules: refresh decisions, service-client parsing and checking, key publication, API-key policy.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mayCreateApiKeys } from '../src/domain/api-key-policy.ts';
import { decideRefresh } from '../src/domain/refresh-decision.ts';
import { rolesTakenAway } from '../src/domain/roles.ts';
import { authenticateClient, parseServiceClients } from '../src/domain/service-clients.ts';
import { isPublished, signingKeyOf } from '../src/domain/signing-key-window.ts';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

describe('decideRefresh', () => {
  const live = { expiresAt: at(1_000_000), revokedAt: undefined };
  it('rotates a current token of a live session', () => {
    assert.deepEqual(decideRefresh({ rotatedAt: undefined, session: live }, at(0)), { kind: 'rotate' });
  });
  it('a token rotated up to 10 s ago is superseded; later, reuse', () => {
    assert.equal(decideRefresh({ rotatedAt: at(0), session: live }, at(10_000)).kind, 'superseded');
    assert.equal(decideRefresh({ rotatedAt: at(0), session: live }, at(10_001)).kind, 'reuse');
  });
  it('an ended session wins over everything', () => {
    const revoked = { expiresAt: at(1_000_000), revokedAt: at(0) };
    const expired = { expiresAt: at(5), revokedAt: undefined };
    assert.equal(decideRefresh({ rotatedAt: undefined, session: revoked }, at(1)).kind, 'session_ended');
    assert.equal(decideRefresh({ rotatedAt: at(0), session: revoked }, at(60_000)).kind, 'session_ended');
    assert.equal(decideRefresh({ rotatedAt: undefined, session: expired }, at(5)).kind, 'session_ended');
  });
});

describe('service clients', () => {
  it('parses name=secret pairs and checks secrets', () => {
    const clients = parseServiceClients(' auth=aaaaaaaaaaaaaaaa, order=bbbbbbbbbbbbbbbbbbbb ,');
    assert.deepEqual([...clients.keys()], ['auth', 'order']);
    assert.equal(authenticateClient(clients, 'auth', 'aaaaaaaaaaaaaaaa'), 'auth');
    assert.equal(authenticateClient(clients, 'auth', 'bbbbbbbbbbbbbbbbbbbb'), undefined);
    assert.equal(authenticateClient(clients, 'nobody', 'aaaaaaaaaaaaaaaa'), undefined);
    assert.equal(parseServiceClients('').size, 0);
  });
  it('refuses short secrets, bad names and duplicates, naming the entry', () => {
    assert.throws(() => parseServiceClients('auth=short'), /secret of auth must be at least 16/);
    assert.throws(() => parseServiceClients('Auth!=aaaaaaaaaaaaaaaa'), /client name/);
    assert.throws(() => parseServiceClients('auth'), /secret of auth/);
    assert.throws(() => parseServiceClients('a=aaaaaaaaaaaaaaaa,a=bbbbbbbbbbbbbbbb'), /listed twice/);
  });
  it('a secret containing "=" is kept whole', () => {
    const clients = parseServiceClients('auth=aaaaaaaa=bbbbbbbb');
    assert.equal(authenticateClient(clients, 'auth', 'aaaaaaaa=bbbbbbbb'), 'auth');
  });
});

describe('signing keys', () => {
  it('publishes active keys and retired ones until the window ends', () => {
    assert.ok(isPublished({ createdAt: at(0), retiredAt: undefined }, at(1e9)));
    assert.ok(isPublished({ createdAt: at(0), retiredAt: at(0) }, at(959_999)));
    assert.ok(!isPublished({ createdAt: at(0), retiredAt: at(0) }, at(960_000)), '15 min + 60 s');
  });
  it('the newest active key signs', () => {
    const keys = [
      { kid: 'old', createdAt: at(0), retiredAt: undefined },
      { kid: 'new', createdAt: at(5), retiredAt: undefined },
      { kid: 'newest-but-retired', createdAt: at(9), retiredAt: at(10) },
    ];
    assert.equal(signingKeyOf(keys)?.kid, 'new');
    assert.equal(signingKeyOf([]), undefined);
  });
});

describe('API key policy', () => {
  it('premium, enterprise and admins only', () => {
    assert.ok(!mayCreateApiKeys({ tier: 'free', roles: ['customer'] }));
    assert.ok(mayCreateApiKeys({ tier: 'premium', roles: ['customer'] }));
    assert.ok(mayCreateApiKeys({ tier: 'enterprise', roles: [] }));
    assert.ok(mayCreateApiKeys({ tier: 'free', roles: ['admin'] }));
  });
});

describe('roles taken away', () => {
  it('names only the roles the new set lacks', () => {
    assert.deepEqual(rolesTakenAway(['customer', 'admin', 'support'], ['customer', 'support']), ['admin']);
    assert.deepEqual(rolesTakenAway(['customer'], ['customer', 'admin']), []);
    assert.deepEqual(rolesTakenAway(['admin'], []), ['admin']);
  });
});
