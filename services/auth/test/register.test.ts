// Registration: a new and a taken email get exactly the same answer; the new one creates the
// account and its events, the taken one only tells the owner (registration_repeated) and changes
// nothing else. Password policy as ASVS V6.2 asks: length 8-256 code points, never truncated,
// common passwords and the email itself refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type AuthFixture,
  accountId,
  assertProblem,
  GOOD_PASSWORD,
  login,
  outboxEvents,
  register,
  snapshot,
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

describe('POST /register', () => {
  it('answers a new and a taken email identically; only the new one creates an account', async () => {
    const email = uniqueEmail('twice');
    const first = await register(f, { email, displayName: 'Ann' });
    assert.equal(first.statusCode, 202);
    assert.deepEqual(first.json(), { status: 'accepted', message: 'Check your email' });

    const userId = await accountId(f.pool, email);
    const registered = (await outboxEvents(f.pool, 'auth.user_registered.v1')).filter(
      (e) => e.subject === userId,
    );
    assert.deepEqual(
      registered.map((e) => e.data),
      [{ userId, email, displayName: 'Ann' }],
    );
    const verification = (await outboxEvents(f.pool, 'auth.email_verification_requested.v1')).filter(
      (e) => e.subject === userId,
    );
    assert.equal(verification.length, 1);
    assert.match(String(verification[0]?.data.token), /^[A-Za-z0-9_-]{43}$/);
    // Stored hashed: the token itself is nowhere in the table.
    const { rows } = await f.pool.query(
      'SELECT token_hash FROM email_verification_tokens WHERE account_id = $1',
      [userId],
    );
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0].token_hash.toString('base64url'), verification[0]?.data.token);

    const before = await snapshot(f.pool);
    const outboxBefore = (await outboxEvents(f.pool)).length;
    const second = await register(f, {
      email: ` ${email.toUpperCase()} `,
      password: 'another-fine-password',
      displayName: 'Mallory',
    });
    assert.equal(second.statusCode, first.statusCode);
    assert.equal(second.body, first.body);
    assert.equal(second.headers['content-type'], first.headers['content-type']);
    assert.equal(await snapshot(f.pool), before, 'a taken email changes no account or token');
    const added = (await outboxEvents(f.pool)).slice(outboxBefore);
    assert.deepEqual(
      added.map((e) => [e.type, e.data]),
      [['auth.registration_repeated.v1', { userId, email }]],
    );
    // The original password still works; the second one does not.
    assert.equal((await login(f, { email, password: GOOD_PASSWORD })).statusCode, 200);
    assertProblem(
      await login(f, { email, password: 'another-fine-password' }),
      401,
      'auth.invalid_credentials',
    );
  });

  it('stores the password as an argon2id PHC string with the OWASP parameters', async () => {
    const email = uniqueEmail('phc');
    await register(f, { email });
    const { rows } = await f.pool.query('SELECT password_hash FROM accounts WHERE email = $1', [email]);
    assert.match(
      rows[0].password_hash,
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
  });

  it('normalises the email (trim, NFKC, lower case) so one mailbox is one account', async () => {
    const local = `nfkc${process.pid}${Date.now()}`;
    // Fullwidth letters fold to ASCII under NFKC.
    const fullwidth = [...local]
      .map((c) => (/[a-z]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff41) : c))
      .join('');
    assert.equal((await register(f, { email: `  ${fullwidth}@EXAMPLE.com ` })).statusCode, 202);
    await accountId(f.pool, `${local}@example.com`);
    assert.equal(
      (await login(f, { email: `${local.toUpperCase()}@example.COM`, password: GOOD_PASSWORD })).statusCode,
      200,
    );
  });

  it('refuses a 7-character password and accepts 8, 128 and 200 characters', async () => {
    const body = assertProblem(
      await register(f, { email: uniqueEmail(), password: 'abcdefg' }),
      400,
      'auth.weak_password',
    );
    assert.equal(body.errors?.[0]?.field, '/password');
    for (const length of [8, 128, 200]) {
      const password = 'xq7!vbz#'.repeat(Math.ceil(length / 8)).slice(0, length);
      const email = uniqueEmail(`len${length}`);
      assert.equal((await register(f, { email, password })).statusCode, 202, `length ${length}`);
      assert.equal((await login(f, { email, password })).statusCode, 200, `login with length ${length}`);
    }
  });

  it('counts code points: 8 emoji are 8 characters; 257 characters are refused', async () => {
    assert.equal((await register(f, { email: uniqueEmail(), password: '🔑🔒🔐🔓🪪🧩🎲🎯' })).statusCode, 202);
    assertProblem(
      await register(f, { email: uniqueEmail(), password: 'k'.repeat(100) + '🔑'.repeat(157) }),
      400,
      'auth.weak_password',
    );
    // 4 emoji are 8 UTF-16 units but 4 characters.
    assertProblem(
      await register(f, { email: uniqueEmail(), password: '🔑🔒🔐🔓' }),
      400,
      'auth.weak_password',
    );
  });

  it('never truncates: a password differing only in character 150 does not sign in', async () => {
    const email = uniqueEmail('long');
    const password = 'm3adow-lark-'.repeat(17).slice(0, 200);
    assert.equal((await register(f, { email, password })).statusCode, 202);
    const other = `${password.slice(0, 149)}${password[149] === 'Z' ? 'Y' : 'Z'}${password.slice(150)}`;
    assert.equal(other.length, 200);
    assertProblem(await login(f, { email, password: other }), 401, 'auth.invalid_credentials');
    assert.equal((await login(f, { email, password })).statusCode, 200);
  });

  it('refuses common passwords (any case) and the email or its local part', async () => {
    for (const password of ['password1', 'Password1', 'iloveyou', 'QWERTYUIOP']) {
      const res = assertProblem(
        await register(f, { email: uniqueEmail(), password }),
        400,
        'auth.weak_password',
      );
      assert.match(res.detail ?? '', /common/);
    }
    const email = uniqueEmail('selfish');
    assertProblem(await register(f, { email, password: email.toUpperCase() }), 400, 'auth.weak_password');
    assertProblem(await register(f, { email, password: email.split('@')[0]! }), 400, 'auth.weak_password');
  });

  it('refuses a malformed email, a blank display name and a long one', async () => {
    for (const email of [
      'not-an-email',
      'a@b',
      '@example.com',
      'a b@example.com',
      `${'a'.repeat(250)}@example.com`,
    ]) {
      assertProblem(await register(f, { email }), 400, 'auth.invalid_email');
    }
    assertProblem(await register(f, { email: uniqueEmail(), displayName: '   ' }), 400);
    assertProblem(await register(f, { email: uniqueEmail(), displayName: 'n'.repeat(101) }), 400);
  });
});
