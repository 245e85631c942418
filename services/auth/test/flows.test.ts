// Email verification, password reset and password change, end to end through the HTTP API with
// the tokens read from the events the notification service would mail.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type AuthFixture,
  accountId,
  assertProblem,
  GOOD_PASSWORD,
  login,
  outboxEvents,
  register,
  startAuth,
  uniqueEmail,
} from './helpers.ts';

let f: AuthFixture;
before(async () => {
  f = await startAuth();
});
after(async () => {
  await f?.close();
});

async function lastEventData(type: string, userId: string): Promise<Record<string, unknown>> {
  const events = (await outboxEvents(f.pool, type)).filter((e) => e.subject === userId);
  assert.ok(events.length > 0, `no ${type} for ${userId}`);
  return events.at(-1)!.data;
}

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  f.app.inject({ method: 'POST', url, payload: payload as object, headers });

async function newAccount(prefix: string): Promise<{ email: string; userId: string }> {
  const email = uniqueEmail(prefix);
  assert.equal((await register(f, { email })).statusCode, 202);
  return { email, userId: await accountId(f.pool, email) };
}

describe('POST /verify-email', () => {
  it('verifies once with the emailed token; a second use is 400 auth.invalid_token', async () => {
    const { email, userId } = await newAccount('verify');
    const { token } = await lastEventData('auth.email_verification_requested.v1', userId);
    assert.equal((await post('/verify-email', { token })).statusCode, 204);
    const { rows } = await f.pool.query('SELECT email_verified_at FROM accounts WHERE id = $1', [userId]);
    assert.ok(rows[0].email_verified_at instanceof Date);
    assert.deepEqual(await lastEventData('auth.email_verified.v1', userId), { userId, email });
    assertProblem(await post('/verify-email', { token }), 400, 'auth.invalid_token');
  });

  it('refuses an expired token (after 24 h) and an unknown one', async () => {
    const { userId } = await newAccount('expired');
    const { token } = await lastEventData('auth.email_verification_requested.v1', userId);
    f.clock.advance(24 * 60 * 60_000 + 1000);
    assertProblem(await post('/verify-email', { token }), 400, 'auth.invalid_token');
    assertProblem(
      await post('/verify-email', { token: randomBytes(32).toString('base64url') }),
      400,
      'auth.invalid_token',
    );
    const { rows } = await f.pool.query('SELECT email_verified_at FROM accounts WHERE id = $1', [userId]);
    assert.equal(rows[0].email_verified_at, null);
  });
});

describe('password reset', () => {
  it('request → token from the event → confirm: the old password fails, the new one works', async () => {
    const { email, userId } = await newAccount('reset');
    const res = await post('/password-reset/request', { email: ` ${email.toUpperCase()}` });
    assert.equal(res.statusCode, 202);
    const data = await lastEventData('auth.password_reset_requested.v1', userId);
    assert.equal(data.email, email);
    assert.equal(data.expiresAt, new Date(f.clock.now().getTime() + 30 * 60_000).toISOString());
    const newPassword = 'brand-new-lantern-42';
    assert.equal((await post('/password-reset/confirm', { token: data.token, newPassword })).statusCode, 204);
    assertProblem(await login(f, { email, password: GOOD_PASSWORD }), 401, 'auth.invalid_credentials');
    assert.equal((await login(f, { email, password: newPassword })).statusCode, 200);
    assert.deepEqual(await lastEventData('auth.password_changed.v1', userId), {
      userId,
      email,
      via: 'reset',
    });
    // Single use.
    assertProblem(
      await post('/password-reset/confirm', { token: data.token, newPassword: 'yet-another-pass-1' }),
      400,
      'auth.invalid_token',
    );
  });

  it('answers an unknown email exactly like a known one, and publishes nothing for it', async () => {
    const { email } = await newAccount('known-reset');
    const before = (await outboxEvents(f.pool, 'auth.password_reset_requested.v1')).length;
    const unknown = await post('/password-reset/request', { email: uniqueEmail('nobody') });
    assert.equal((await outboxEvents(f.pool, 'auth.password_reset_requested.v1')).length, before);
    const known = await post('/password-reset/request', { email });
    assert.equal(unknown.statusCode, 202);
    assert.equal(unknown.body, known.body);
  });

  it('a newer request voids the older token; tokens expire after 30 minutes', async () => {
    const { userId } = await newAccount('twice-reset');
    const email = (await f.pool.query('SELECT email FROM accounts WHERE id = $1', [userId])).rows[0].email;
    await post('/password-reset/request', { email });
    const first = await lastEventData('auth.password_reset_requested.v1', userId);
    await post('/password-reset/request', { email });
    const second = await lastEventData('auth.password_reset_requested.v1', userId);
    assert.notEqual(first.token, second.token);
    assertProblem(
      await post('/password-reset/confirm', { token: first.token, newPassword: 'fresh-password-77' }),
      400,
      'auth.invalid_token',
    );
    f.clock.advance(30 * 60_000 + 1);
    assertProblem(
      await post('/password-reset/confirm', { token: second.token, newPassword: 'fresh-password-77' }),
      400,
      'auth.invalid_token',
    );
  });

  it('checks the new password against the policy and keeps the token usable after a refusal', async () => {
    const { email, userId } = await newAccount('policy-reset');
    await post('/password-reset/request', { email });
    const { token } = await lastEventData('auth.password_reset_requested.v1', userId);
    assertProblem(
      await post('/password-reset/confirm', { token, newPassword: 'short' }),
      400,
      'auth.weak_password',
    );
    assertProblem(
      await post('/password-reset/confirm', { token, newPassword: 'password123' }),
      400,
      'auth.weak_password',
    );
    assert.equal(
      (await post('/password-reset/confirm', { token, newPassword: 'valid-new-pass-9' })).statusCode,
      204,
    );
  });
});

describe('POST /password/change', () => {
  it('changes the password when the current one is right and publishes password_changed {via: change}', async () => {
    const { email, userId } = await newAccount('change');
    const auth = { authorization: `Bearer ${await f.issuer.user(userId)}` };
    const newPassword = 'quiet-river-stone-8';
    assertProblem(
      await post('/password/change', { currentPassword: 'not-my-password', newPassword }, auth),
      401,
      'auth.invalid_credentials',
    );
    assertProblem(
      await post('/password/change', { currentPassword: GOOD_PASSWORD, newPassword: 'letmein1' }, auth),
      400,
      'auth.weak_password',
    );
    assert.equal(
      (await post('/password/change', { currentPassword: GOOD_PASSWORD, newPassword }, auth)).statusCode,
      204,
    );
    assert.deepEqual(await lastEventData('auth.password_changed.v1', userId), {
      userId,
      email,
      via: 'change',
    });
    assertProblem(await login(f, { email, password: GOOD_PASSWORD }), 401);
    assert.equal((await login(f, { email, password: newPassword })).statusCode, 200);
  });

  it('needs a user token: none is 401, a service token is 403, an unknown user is 401', async () => {
    const body = { currentPassword: GOOD_PASSWORD, newPassword: 'quiet-river-stone-8' };
    assertProblem(await post('/password/change', body), 401);
    assertProblem(
      await post('/password/change', body, { authorization: `Bearer ${await f.issuer.service('user')}` }),
      403,
    );
    assertProblem(await post('/password/change', body, { authorization: 'Bearer not.a.token' }), 401);
    const stranger = { authorization: `Bearer ${await f.issuer.user(randomUUID())}` };
    assertProblem(await post('/password/change', body, stranger), 401, 'auth.invalid_credentials');
  });
});

describe('POST /password/change throttling', () => {
  it('counts wrong current passwords like failed logins: the fourth try waits (429)', async () => {
    const { userId } = await newAccount('change-guess');
    const auth = { authorization: `Bearer ${await f.issuer.user(userId)}` };
    for (let i = 0; i < 3; i++) {
      assertProblem(
        await post(
          '/password/change',
          { currentPassword: `guess-number-${i}`, newPassword: 'quiet-river-stone-8' },
          auth,
        ),
        401,
        'auth.invalid_credentials',
      );
    }
    const res = await post(
      '/password/change',
      { currentPassword: GOOD_PASSWORD, newPassword: 'quiet-river-stone-8' },
      auth,
    );
    assertProblem(res, 429, 'auth.too_many_attempts');
    assert.equal(res.headers['retry-after'], '1');
  });
});
