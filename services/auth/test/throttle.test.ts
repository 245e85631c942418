// Login throttling (ASVS V6.3.1): per account key (sha256 of the normalised email, whether or
// not an account has it) a growing delay after 3 failures and a 15-minute lock after 10 (still
// just a 429 to the client; the owner is told through auth.account_locked.v1); per IP a block
// after 20 failures in 15 minutes. The clock is the fixture's: the test moves it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accountThrottleKey } from '../src/domain/throttle-keys.ts';
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

let ipCounter = 0;
/** A fresh client address, so per-IP counting stays out of tests about account keys. */
const freshIp = () => `198.51.100.${++ipCounter}`;

/** Fails `count` logins, each from a fresh IP, waiting out the delay before each (not after the last). */
async function failLogins(email: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (i > 0) f.clock.advance(61_000);
    const res = await login(f, { email, password: `wrong-password-${i}` }, freshIp());
    assertProblem(res, 401, 'auth.invalid_credentials');
  }
}

function comparable(body: Record<string, unknown>): Record<string, unknown> {
  const { request_id: _id, instance: _instance, ...rest } = body;
  return rest;
}

describe('login throttling', () => {
  it('after six wrong passwords the account is throttled even from a new IP, with Retry-After', async () => {
    const email = uniqueEmail('six');
    await register(f, { email });
    for (let i = 0; i < 6; i++) {
      assertProblem(await login(f, { email, password: `nope-nope-${i}` }, freshIp()), 401);
      f.clock.advance(30_000); // past the 1, 2, 4 and 8 s delays
    }
    // The sixth failure asks for 8 s: the right password from a new IP must still wait.
    f.clock.advance(-30_000);
    const res = await login(f, { email, password: GOOD_PASSWORD }, freshIp());
    assertProblem(res, 429, 'auth.too_many_attempts');
    assert.equal(res.headers['retry-after'], '8');
    f.clock.advance(8_000);
    assert.equal((await login(f, { email, password: GOOD_PASSWORD }, freshIp())).statusCode, 200);
  });

  it('grows the delay 1 s, 2 s, 4 s from the third failure; a success resets the count', async () => {
    const email = uniqueEmail('grow');
    await register(f, { email });
    await failLogins(email, 2);
    f.clock.advance(61_000);
    // Two failures: no delay yet.
    assertProblem(await login(f, { email, password: 'wrong-again-3' }, freshIp()), 401);
    for (const seconds of [1, 2, 4]) {
      const waiting = await login(f, { email, password: 'x-wrong-pw' }, freshIp());
      assertProblem(waiting, 429, 'auth.too_many_attempts');
      assert.equal(waiting.headers['retry-after'], String(seconds));
      f.clock.advance(seconds * 1000);
      assertProblem(await login(f, { email, password: 'y-wrong-pw' }, freshIp()), 401);
    }
    f.clock.advance(8000);
    assert.equal((await login(f, { email, password: GOOD_PASSWORD }, freshIp())).statusCode, 200);
    const { rows } = await f.pool.query('SELECT 1 FROM login_throttle WHERE key = $1', [
      accountThrottleKey(email),
    ]);
    assert.equal(rows.length, 0, 'a success clears the account key');
    // Back to a fresh count: two more failures get no delay.
    await failLogins(email, 2);
    f.clock.advance(61_000);
    assertProblem(await login(f, { email, password: 'wrong-again-9' }, freshIp()), 401);
  });

  it('caps the delay at 60 s', async () => {
    const email = uniqueEmail('cap');
    await failLogins(email, 9); // 9th failure: 2^6 s capped
    const res = await login(f, { email, password: 'whatever-1' }, freshIp());
    assert.equal(res.headers['retry-after'], '60');
  });

  it('throttles an unknown email exactly like a known one (no existence leak)', async () => {
    const known = uniqueEmail('known');
    await register(f, { email: known });
    const unknown = uniqueEmail('ghost');
    await failLogins(known, 3);
    await failLogins(unknown, 3);
    f.clock.advance(61_000);
    // The fourth failure of each asks for 2 s.
    assertProblem(await login(f, { email: known, password: 'fourth-wrong' }, freshIp()), 401);
    assertProblem(await login(f, { email: unknown, password: 'fourth-wrong' }, freshIp()), 401);
    const a = await login(f, { email: known, password: GOOD_PASSWORD }, freshIp());
    const b = await login(f, { email: unknown, password: GOOD_PASSWORD }, freshIp());
    assertProblem(a, 429, 'auth.too_many_attempts');
    assertProblem(b, 429, 'auth.too_many_attempts');
    assert.deepEqual(comparable(a.json()), comparable(b.json()));
    f.clock.advance(61_000);
  });

  it('locks after 10 failures for 15 minutes (a 429, never "locked"); the owner gets account_locked', async () => {
    const email = uniqueEmail('lock');
    await register(f, { email });
    const userId = await accountId(f.pool, email);
    await failLogins(email, 9);
    f.clock.advance(61_000);
    assert.equal(
      (await outboxEvents(f.pool, 'auth.account_locked.v1')).filter((e) => e.subject === userId).length,
      0,
    );
    await failLogins(email, 1);
    const lockedAt = f.clock.now();
    const locked = await login(f, { email, password: GOOD_PASSWORD }, freshIp());
    const body = assertProblem(locked, 429, 'auth.too_many_attempts');
    assert.doesNotMatch(JSON.stringify(body), /lock/i);
    assert.equal(locked.headers['retry-after'], String(15 * 60));
    const events = (await outboxEvents(f.pool, 'auth.account_locked.v1')).filter((e) => e.subject === userId);
    assert.deepEqual(
      events.map((e) => e.data),
      [
        {
          userId,
          email,
          lockedUntil: new Date(lockedAt.getTime() + 15 * 60_000).toISOString(),
          failedAttempts: 10,
        },
      ],
    );
    f.clock.advance(14 * 60_000);
    assertProblem(await login(f, { email, password: GOOD_PASSWORD }, freshIp()), 429);
    f.clock.advance(60_000);
    assert.equal((await login(f, { email, password: GOOD_PASSWORD }, freshIp())).statusCode, 200);
  });

  it('locks an unknown email too, but publishes nothing for it', async () => {
    const before = (await outboxEvents(f.pool, 'auth.account_locked.v1')).length;
    const email = uniqueEmail('nobody-locked');
    await failLogins(email, 10);
    assertProblem(
      await login(f, { email, password: GOOD_PASSWORD }, freshIp()),
      429,
      'auth.too_many_attempts',
    );
    assert.equal((await outboxEvents(f.pool, 'auth.account_locked.v1')).length, before);
    f.clock.advance(61_000);
  });

  it('blocks one IP after 20 failures in 15 minutes, whatever the emails; other IPs still sign in', async () => {
    const email = uniqueEmail('victim');
    await register(f, { email });
    const ip = '203.0.113.50';
    for (let i = 0; i < 20; i++) {
      assertProblem(await login(f, { email: uniqueEmail('spray'), password: 'spray-password' }, ip), 401);
      f.clock.advance(1000);
    }
    const blocked = await login(f, { email, password: GOOD_PASSWORD }, ip);
    assertProblem(blocked, 429, 'auth.too_many_attempts');
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.equal((await login(f, { email, password: GOOD_PASSWORD }, '203.0.113.51')).statusCode, 200);
    f.clock.advance(15 * 60_000);
    assert.equal((await login(f, { email, password: GOOD_PASSWORD }, ip)).statusCode, 200);
  });

  it("behind the gateway, counts the client the gateway names (X-Client-IP), not the gateway's socket", async () => {
    const email = uniqueEmail('behind-gateway');
    await register(f, { email });
    const viaGateway = (body: { email: string; password: string }, clientIp: string) =>
      f.app.inject({
        method: 'POST',
        url: '/login',
        payload: body,
        remoteAddress: '127.0.0.1',
        headers: { 'x-client-ip': clientIp },
      });
    const sprayer = '203.0.113.70';
    for (let i = 0; i < 20; i++) {
      assertProblem(
        await viaGateway({ email: uniqueEmail('spray'), password: 'spray-password' }, sprayer),
        401,
      );
      f.clock.advance(1000);
    }
    assertProblem(
      await viaGateway({ email, password: GOOD_PASSWORD }, sprayer),
      429,
      'auth.too_many_attempts',
    );
    // Another customer through the same gateway is not locked out by the sprayer.
    assert.equal((await viaGateway({ email, password: GOOD_PASSWORD }, '203.0.113.71')).statusCode, 200);
    const { rows } = await f.pool.query<{ key: string }>(
      "SELECT key FROM login_throttle WHERE key LIKE 'ip:%'",
    );
    assert.ok(rows.some((r) => r.key === `ip:${sprayer}`));
    assert.ok(!rows.some((r) => r.key === 'ip:127.0.0.1'), 'the gateway itself is never counted');
    f.clock.advance(15 * 60_000);
  });

  it('stores no email in the throttle table, only hashes and addresses', async () => {
    const { rows } = await f.pool.query<{ key: string }>('SELECT key FROM login_throttle');
    assert.ok(rows.length > 0);
    for (const { key } of rows) assert.match(key, /^(account:[0-9a-f]{64}|ip:.+)$/);
  });

  it('lets parallel guesses at one account in only one at a time (the 4th waits)', async () => {
    const email = uniqueEmail('parallel');
    await register(f, { email });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => login(f, { email, password: `parallel-wrong-${i}` }, freshIp())),
    );
    const statuses = results.map((res) => res.statusCode).sort();
    assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429]);
    f.clock.advance(61_000);
  });
});
