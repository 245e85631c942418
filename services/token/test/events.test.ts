// The subjects projection and revocations driven by other services' events, through the real bus
// and inbox: registration, roles and tier changes shape the next token; suspension and password
// changes end every session.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  AuthPasswordChangedV1,
  AuthUserRegisteredV1,
  UserReactivatedV1,
  UserRolesChangedV1,
  UserSuspendedV1,
  UserTierChangedV1,
} from '@shopnow/contracts';
import { decodeJwt } from 'jose';
import {
  assertProblem,
  bearer,
  eventually,
  outboxEvents,
  refresh,
  startToken,
  type TokenFixture,
} from './helpers.ts';

let f: TokenFixture;

before(async () => {
  f = await startToken();
});
after(async () => {
  await f?.close();
});

async function subject(userId: string) {
  const { rows } = await f.pool.query('select roles, tier, status from subjects where user_id = $1', [
    userId,
  ]);
  return rows[0];
}

describe('events consumed', () => {
  it('registration creates a free active customer; role and tier changes reach the next token', async () => {
    const userId = randomUUID();
    await f.publish(AuthUserRegisteredV1, userId, { userId, email: 'new@example.com', displayName: 'New' });
    await eventually('the subject exists', async () => (await subject(userId)) !== undefined);
    assert.deepEqual(await subject(userId), { roles: ['customer'], tier: 'free', status: 'active' });
    const pair = await f.login(userId);

    await f.publish(UserRolesChangedV1, userId, {
      userId,
      roles: ['customer', 'support'],
      previousRoles: ['customer'],
    });
    await f.publish(UserTierChangedV1, userId, { userId, tier: 'premium', previousTier: 'free' });
    await eventually(
      'roles and tier projected',
      async () => (await subject(userId))?.tier === 'premium' && (await subject(userId)).roles.length === 2,
    );
    const res = await refresh(f.app, pair.refreshToken);
    assert.equal(res.statusCode, 200, res.body);
    const claims = decodeJwt(res.json().accessToken);
    assert.deepEqual(claims.roles, ['customer', 'support']);
    assert.equal(claims.tier, 'premium');
  });

  it('a change for a user the projection has not seen yet creates them; the late registration changes nothing', async () => {
    const userId = randomUUID();
    await f.publish(UserTierChangedV1, userId, { userId, tier: 'enterprise', previousTier: 'free' });
    await eventually('projected', async () => (await subject(userId))?.tier === 'enterprise');
    // Counted before publishing: the registration may be handled before a count taken after.
    const { rows } = await f.pool.query(
      `select count(*)::int as n from inbox where consumer_group = 'token.subjects'`,
    );
    const handled = rows[0].n;
    await f.publish(AuthUserRegisteredV1, userId, { userId, email: 'late@example.com', displayName: 'Late' });
    await eventually('the registration was handled', async () => {
      const now = await f.pool.query(
        `select count(*)::int as n from inbox where consumer_group = 'token.subjects'`,
      );
      return now.rows[0].n > handled;
    });
    assert.equal((await subject(userId)).tier, 'enterprise');
  });

  it('user.suspended.v1 ends every session: access tokens refused, refresh refused, sign-in refused', async () => {
    const userId = randomUUID();
    const a = await f.login(userId);
    const b = await f.login(userId);
    await f.publish(UserSuspendedV1, userId, { userId, reason: 'fraud' });
    await eventually('the sessions are revoked', async () => {
      const { rows } = await f.pool.query(
        'select count(*)::int as n from sessions where user_id = $1 and revoked_at is null',
        [userId],
      );
      return rows[0].n === 0;
    });
    for (const pair of [a, b])
      assertProblem(await refresh(f.app, pair.refreshToken), 401, 'token.refresh_invalid');
    // The handler's revocation reaches this instance's verifier by its 2 s reload.
    await eventually('the access token is refused', async () => {
      const res = await f.app.inject({ method: 'GET', url: '/sessions', headers: bearer(a.accessToken) });
      return res.statusCode === 401;
    });
    const signIn = await f.app.inject({
      method: 'POST',
      url: '/sessions',
      headers: await f.serviceAuth('auth'),
      payload: { userId },
    });
    assertProblem(signIn, 403, 'token.subject_suspended');
    const events = await outboxEvents(f.pool, userId);
    assert.deepEqual(events.at(-1)?.data, { userId, all: true, reason: 'user_suspended' });

    await f.publish(UserReactivatedV1, userId, { userId });
    await eventually('reactivated', async () => (await subject(userId))?.status === 'active');
    // A token is refused while its whole-second iat is before the user-wide notBefore.
    const { rows } = await f.pool.query('select max(not_before) as nb from revocations where user_id = $1', [
      userId,
    ]);
    const notBefore = rows[0].nb.getTime();
    await eventually(
      'past the user-wide notBefore',
      () => Math.floor(Date.now() / 1000) * 1000 >= notBefore,
      5000,
    );
    const again = await f.login(userId);
    assert.equal(
      (await f.app.inject({ method: 'GET', url: '/sessions', headers: bearer(again.accessToken) }))
        .statusCode,
      200,
    );
  });

  it('a role taken away ends every session (a live token would still claim it); a role given does not', async () => {
    const userId = randomUUID();
    await f.publish(AuthUserRegisteredV1, userId, {
      userId,
      email: 'staff@example.com',
      displayName: 'Staff',
    });
    await f.publish(UserRolesChangedV1, userId, {
      userId,
      roles: ['customer', 'admin'],
      previousRoles: ['customer'],
    });
    await eventually(
      'admin projected',
      async () => (await subject(userId))?.roles.includes('admin') === true,
    );
    const pair = await f.login(userId);
    assert.deepEqual(decodeJwt(pair.accessToken).roles, ['customer', 'admin']);
    const before = (await outboxEvents(f.pool, userId)).length;

    await f.publish(UserRolesChangedV1, userId, {
      userId,
      roles: ['customer'],
      previousRoles: ['customer', 'admin'],
    });
    await eventually('revoked', async () => {
      const { rows } = await f.pool.query('select revoked_reason from sessions where id = $1', [
        pair.sessionId,
      ]);
      return rows[0].revoked_reason === 'roles_revoked';
    });
    assertProblem(await refresh(f.app, pair.refreshToken), 401);
    await eventually('the admin token is refused', async () => {
      const res = await f.app.inject({ method: 'GET', url: '/sessions', headers: bearer(pair.accessToken) });
      return res.statusCode === 401;
    });
    const events = await outboxEvents(f.pool, userId);
    assert.equal(events.length, before + 1);
    assert.deepEqual(events.at(-1)?.data, { userId, all: true, reason: 'roles_revoked' });
  });

  it('auth.password_changed.v1 ends every session of the user', async () => {
    const userId = randomUUID();
    const pair = await f.login(userId);
    await f.publish(AuthPasswordChangedV1, userId, { userId, email: 'pw@example.com', via: 'reset' });
    await eventually('revoked', async () => {
      const { rows } = await f.pool.query('select revoked_reason from sessions where id = $1', [
        pair.sessionId,
      ]);
      return rows[0].revoked_reason === 'password_changed';
    });
    assertProblem(await refresh(f.app, pair.refreshToken), 401);
    const events = await outboxEvents(f.pool, userId);
    assert.deepEqual(events.at(-1), {
      type: 'token.sessions_revoked.v1',
      data: { userId, all: true, reason: 'password_changed' },
    });
  });
});

describe('password change racing a sign-in', () => {
  it('a session started after the password change (its event still in flight) survives', async () => {
    const userId = randomUUID();
    const old = await f.login(userId);
    const changedAt = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fresh = await f.login(userId);
    // The event, sent before the fresh sign-in, arrives after it.
    const { rows: before } = await f.pool.query(
      `select count(*)::int as n from inbox where consumer_group = 'token.revocations'`,
    );
    await f.publishAt(
      AuthPasswordChangedV1,
      userId,
      { userId, email: 'race@example.com', via: 'change' },
      changedAt,
    );
    await eventually('handled', async () => {
      const { rows } = await f.pool.query(
        `select count(*)::int as n from inbox where consumer_group = 'token.revocations'`,
      );
      return rows[0].n > before[0].n;
    });
    assertProblem(await refresh(f.app, old.refreshToken), 401);
    const { rows } = await f.pool.query('select revoked_at from sessions where id = $1', [fresh.sessionId]);
    assert.equal(rows[0].revoked_at, null, 'the new session lives');
  });
});
