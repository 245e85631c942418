// The pure rules: allowed role sets, admin transitions and their self-protection, the search
// pattern's escaping, and the paging cursor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as contracts from '@shopnow/contracts';
import { decodeCursor, encodeCursor } from '../src/domain/paging.ts';
import { normalizeRoles, withRole } from '../src/domain/roles.ts';
import { containsPattern } from '../src/domain/search.ts';
import {
  mayAdminister,
  planReactivation,
  planRolesChange,
  planSuspension,
  planTierChange,
} from '../src/domain/transitions.ts';
import { ROLES, TIERS, USER_STATUSES } from '../src/domain/user.ts';

const ADMIN_ID = '11111111-1111-4111-8111-111111111111';
const OTHER_ID = '22222222-2222-4222-8222-222222222222';
const admin = {
  id: ADMIN_ID,
  roles: ['customer', 'admin'] as const,
  tier: 'free',
  status: 'active',
} as const;
const other = { id: OTHER_ID, roles: ['customer'], tier: 'free', status: 'active' } as const;
const target = (t: typeof admin | typeof other) => ({ ...t, roles: [...t.roles] });

describe('vocabularies', () => {
  it('match @shopnow/contracts exactly', () => {
    assert.deepEqual([...ROLES], [...contracts.ROLES]);
    assert.deepEqual([...TIERS], [...contracts.TIERS]);
    assert.deepEqual([...USER_STATUSES], [...contracts.USER_STATUSES]);
  });
});

describe('role sets', () => {
  it('are deduplicated and kept in ROLES order', () => {
    assert.deepEqual(normalizeRoles(['admin', 'customer', 'admin']), {
      ok: true,
      roles: ['customer', 'admin'],
    });
  });
  it('refuse an empty set and unknown roles', () => {
    assert.equal(normalizeRoles([]).ok, false);
    assert.deepEqual(normalizeRoles(['customer', 'root']), { ok: false, message: 'unknown role "root"' });
  });
  it('withRole adds once', () => {
    assert.deepEqual(withRole(['customer'], 'admin'), ['customer', 'admin']);
    assert.deepEqual(withRole(['customer', 'admin'], 'admin'), ['customer', 'admin']);
  });
});

describe('transitions', () => {
  it('a roles change names the previous roles; the same set is a no-op', () => {
    assert.deepEqual(planRolesChange(ADMIN_ID, target(other), ['support', 'customer']), {
      kind: 'change',
      change: { roles: ['customer', 'support'], previousRoles: ['customer'] },
    });
    assert.deepEqual(planRolesChange(ADMIN_ID, target(other), ['customer', 'customer']), { kind: 'noop' });
  });
  it('an admin cannot remove their own admin role, but may change their other roles', () => {
    assert.deepEqual(planRolesChange(ADMIN_ID, target(admin), ['customer']), {
      kind: 'refused',
      refused: 'self_demotion',
    });
    assert.equal(planRolesChange(ADMIN_ID, target(admin), ['admin', 'support']).kind, 'change');
    // Another admin may demote them.
    assert.equal(planRolesChange(OTHER_ID, target(admin), ['customer']).kind, 'change');
  });
  it('invalid role sets are refused before anything else', () => {
    assert.equal(planRolesChange(ADMIN_ID, target(other), []).kind, 'refused');
  });
  it('tier: a change, or a no-op when unchanged', () => {
    assert.deepEqual(planTierChange(target(other), 'premium'), {
      kind: 'change',
      change: { tier: 'premium', previousTier: 'free' },
    });
    assert.deepEqual(planTierChange(target(other), 'free'), { kind: 'noop' });
  });
  it('suspend only active users, never oneself; reactivate only suspended users', () => {
    assert.deepEqual(planSuspension(ADMIN_ID, target(other), 'fraud'), {
      kind: 'change',
      change: { reason: 'fraud' },
    });
    assert.deepEqual(planSuspension(ADMIN_ID, target(admin), 'oops'), {
      kind: 'refused',
      refused: 'self_suspension',
    });
    const suspended = { ...target(other), status: 'suspended' as const };
    assert.deepEqual(planSuspension(ADMIN_ID, suspended, 'again'), {
      kind: 'refused',
      refused: 'not_active',
    });
    assert.equal(planReactivation(suspended).kind, 'change');
    assert.deepEqual(planReactivation(target(other)), { kind: 'refused', refused: 'not_suspended' });
  });
});

describe('acting admin', () => {
  it('must still be an active admin in the records', () => {
    assert.equal(mayAdminister({ roles: ['customer', 'admin'], status: 'active' }), true);
    assert.equal(mayAdminister({ roles: ['customer'], status: 'active' }), false);
    assert.equal(mayAdminister({ roles: ['admin'], status: 'suspended' }), false);
    assert.equal(mayAdminister(undefined), false);
  });
});

describe('search pattern', () => {
  it('escapes LIKE wildcards and the escape character', () => {
    assert.equal(containsPattern('ann'), '%ann%');
    assert.equal(containsPattern('a_b%c\\d'), '%a\\_b\\%c\\\\d%');
  });
});

describe('cursor', () => {
  it('round-trips and is opaque base64url', () => {
    const key = { createdAt: '2026-01-02T03:04:05.678Z', id: OTHER_ID };
    const cursor = encodeCursor(key);
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(cursor), key);
  });
  it('refuses anything else', () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of [
      '',
      'not base64!',
      b64({ k: 'x' }),
      b64(['2026-01-02T03:04:05.678Z']),
      b64(['yesterday', OTHER_ID]),
      b64(['2026-01-02T03:04:05.678Z', 'not-a-uuid']),
      b64(['2026-13-45T03:04:05.678Z', OTHER_ID]),
      'a'.repeat(201),
    ]) {
      assert.equal(decodeCursor(bad), undefined, bad);
    }
  });
});
