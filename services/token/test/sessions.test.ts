// Sessions: refresh-token rotation, reuse detection (grace window vs. theft), row locks under
// concurrent refreshes, absolute lifetime, and a user's control of their own sessions.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { purgeExpired } from '../src/store/purge.ts';
import { assertProblem, bearer, outboxEvents, refresh, startToken, type TokenFixture } from './helpers.ts';

let f: TokenFixture;

before(async () => {
  f = await startToken();
});
after(async () => {
  await f?.close();
});

/** Makes the session's rotated tokens look rotated `seconds` ago. */
async function backdateRotation(sessionId: string, seconds: number): Promise<void> {
  await f.pool.query(
    `update refresh_tokens set rotated_at = rotated_at - make_interval(secs => $2) where session_id = $1 and rotated_at is not null`,
    [sessionId, seconds],
  );
}

async function revocationsFor(sessionId: string) {
  const res = await f.app.inject({
    method: 'GET',
    url: '/revocations?after=0',
    headers: await f.serviceAuth('order'),
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json().entries as Array<{ sessionId?: string }>).filter(
    (entry) => entry.sessionId === sessionId,
  );
}

const me = (token: string) => f.app.inject({ method: 'GET', url: '/sessions', headers: bearer(token) });

describe('refresh', () => {
  it('rotates: a new pair for the same session; last_used_at moves; the new access token works', async () => {
    const first = await f.login();
    await f.pool.query(`update sessions set last_used_at = last_used_at - interval '1 hour' where id = $1`, [
      first.sessionId,
    ]);
    const res = await refresh(f.app, first.refreshToken);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const second = res.json();
    assert.equal(second.sessionId, first.sessionId);
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.equal(decodeJwt(second.accessToken).sid, first.sessionId);
    const { rows } = await f.pool.query('select last_used_at from sessions where id = $1', [first.sessionId]);
    assert.ok(Date.now() - rows[0].last_used_at.getTime() < 60_000);
    assert.equal((await me(second.accessToken)).statusCode, 200);
    // The new refresh token rotates again.
    assert.equal((await refresh(f.app, second.refreshToken)).statusCode, 200);
  });

  it('reuse of a rotated token within the 10 s grace window: 409 token.refresh_superseded, nothing revoked', async () => {
    const first = await f.login();
    const second = (await refresh(f.app, first.refreshToken)).json();
    assertProblem(await refresh(f.app, first.refreshToken), 409, 'token.refresh_superseded');
    assert.deepEqual(await revocationsFor(first.sessionId), []);
    assert.equal((await refresh(f.app, second.refreshToken)).statusCode, 200, 'the family lives on');
  });

  it('reuse after the grace window revokes the whole family: 401, a revocation entry, an event', async () => {
    const first = await f.login();
    const second = (await refresh(f.app, first.refreshToken)).json();
    await backdateRotation(first.sessionId, 11);
    assertProblem(await refresh(f.app, first.refreshToken), 401, 'token.refresh_invalid');
    // The newest token of the family is dead too, and so is its access token.
    assertProblem(await refresh(f.app, second.refreshToken), 401, 'token.refresh_invalid');
    assertProblem(await me(second.accessToken), 401);
    const entries = await revocationsFor(first.sessionId);
    assert.equal(entries.length, 1);
    const events = await outboxEvents(f.pool, first.userId);
    assert.deepEqual(events.at(-1), {
      type: 'token.sessions_revoked.v1',
      data: { userId: first.userId, sessionId: first.sessionId, all: false, reason: 'refresh_token_reuse' },
    });
  });

  it('two concurrent refreshes of one token: exactly one succeeds, the other is told it was superseded', async () => {
    const first = await f.login();
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(f.app, first.refreshToken)));
    const codes = results.map((res) => res.statusCode).sort();
    assert.deepEqual(codes, [200, 409, 409, 409, 409], results.map((res) => res.body).join('\n'));
    const { rows } = await f.pool.query(
      'select count(*)::int as live from refresh_tokens where session_id = $1 and rotated_at is null',
      [first.sessionId],
    );
    assert.equal(rows[0].live, 1, 'one current token in the family');
  });

  it('a session past its absolute lifetime cannot be refreshed', async () => {
    const pair = await f.login();
    const { rows } = await f.pool.query(
      'select expires_at - created_at as lifetime from sessions where id = $1',
      [pair.sessionId],
    );
    assert.equal(rows[0].lifetime.days, 30);
    await f.pool.query(`update sessions set expires_at = now() - interval '1 second' where id = $1`, [
      pair.sessionId,
    ]);
    assertProblem(await refresh(f.app, pair.refreshToken), 401, 'token.refresh_invalid');
  });

  it('an unknown refresh token is 401; an expired bearer sent along does not get in the way', async () => {
    assertProblem(await refresh(f.app, 'not-a-token'), 401, 'token.refresh_invalid');
    const pair = await f.login();
    const res = await f.app.inject({
      method: 'POST',
      url: '/sessions/refresh',
      headers: bearer('expired.or.garbage'),
      payload: { refreshToken: pair.refreshToken },
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  it('a refresh token sent as an access token fails verification (it is not a JWT)', async () => {
    const pair = await f.login();
    assertProblem(await me(pair.refreshToken), 401);
  });
});

describe('my sessions', () => {
  it('lists my live sessions with device and which one is current; never another user’s', async () => {
    const userId = randomUUID();
    const phone = await f.login(userId, { userAgent: 'phone', ip: '198.51.100.1' });
    const laptop = await f.login(userId, { userAgent: 'laptop' });
    await f.login(); // someone else
    const res = await me(phone.accessToken);
    assert.equal(res.statusCode, 200);
    const items = res.json().items as Array<{
      id: string;
      current: boolean;
      device: unknown;
      createdAt: unknown;
      lastUsedAt: unknown;
    }>;
    assert.deepEqual(items.map((item) => item.id).sort(), [phone.sessionId, laptop.sessionId].sort());
    const current = items.find((item) => item.current);
    assert.equal(current?.id, phone.sessionId);
    assert.deepEqual(current?.device, { userAgent: 'phone', ip: '198.51.100.1' });
    assert.deepEqual(items.find((item) => !item.current)?.device, { userAgent: 'laptop', ip: null });
    assert.equal(typeof current?.createdAt, 'string');
    assert.equal(typeof current?.lastUsedAt, 'string');
  });

  it('DELETE one of my sessions ends it (refresh and access refused); another user’s session is 404', async () => {
    const userId = randomUUID();
    const a = await f.login(userId);
    const b = await f.login(userId);
    const stranger = await f.login();
    assertProblem(
      await f.app.inject({
        method: 'DELETE',
        url: `/sessions/${stranger.sessionId}`,
        headers: bearer(a.accessToken),
      }),
      404,
      'token.session_not_found',
    );
    assert.equal((await me(stranger.accessToken)).statusCode, 200, 'untouched');
    assertProblem(
      await f.app.inject({
        method: 'DELETE',
        url: `/sessions/${randomUUID()}`,
        headers: bearer(a.accessToken),
      }),
      404,
      'token.session_not_found',
    );
    const res = await f.app.inject({
      method: 'DELETE',
      url: `/sessions/${b.sessionId}`,
      headers: bearer(a.accessToken),
    });
    assert.equal(res.statusCode, 204, res.body);
    assertProblem(await refresh(f.app, b.refreshToken), 401);
    assertProblem(await me(b.accessToken), 401);
    assert.equal((await me(a.accessToken)).statusCode, 200);
    const events = await outboxEvents(f.pool, userId);
    assert.equal(events.at(-1)?.data.reason, 'revoked_by_user');
  });

  it('logout ends the current session only', async () => {
    const userId = randomUUID();
    const a = await f.login(userId);
    const b = await f.login(userId);
    const res = await f.app.inject({
      method: 'POST',
      url: '/sessions/logout',
      headers: bearer(a.accessToken),
    });
    assert.equal(res.statusCode, 204, res.body);
    assertProblem(await me(a.accessToken), 401);
    assertProblem(await refresh(f.app, a.refreshToken), 401);
    assert.equal((await me(b.accessToken)).statusCode, 200);
    const entries = await revocationsFor(a.sessionId);
    assert.equal(entries.length, 1);
    assert.deepEqual(Object.keys(entries[0] ?? {}).sort(), ['expiresAt', 'seq', 'sessionId']);
  });

  it('logout-all ends every session of mine and refuses my live access tokens (user-wide entry)', async () => {
    const userId = randomUUID();
    const a = await f.login(userId);
    const b = await f.login(userId);
    const other = await f.login();
    const res = await f.app.inject({
      method: 'POST',
      url: '/sessions/logout-all',
      headers: bearer(a.accessToken),
    });
    assert.equal(res.statusCode, 204, res.body);
    for (const pair of [a, b]) {
      assertProblem(await me(pair.accessToken), 401);
      assertProblem(await refresh(f.app, pair.refreshToken), 401);
    }
    assert.equal((await me(other.accessToken)).statusCode, 200);
    const page = (
      await f.app.inject({
        method: 'GET',
        url: '/revocations?after=0',
        headers: await f.serviceAuth('order'),
      })
    ).json();
    const entry = page.entries.find((e: { userId?: string }) => e.userId === userId);
    assert.ok(entry, 'a user-wide entry');
    const notBefore = Date.parse(entry.notBefore);
    assert.ok(notBefore > Date.now() - 2000 && notBefore <= Date.now() + 1000, 'now + 1 s');
    const expiresIn = Date.parse(entry.expiresAt) - Date.now();
    assert.ok(expiresIn > 15 * 60_000 && expiresIn <= 16 * 60_000, 'access-token lifetime + 60 s skew');
    const events = await outboxEvents(f.pool, userId);
    assert.deepEqual(events.at(-1)?.data, { userId, all: true, reason: 'logout_all' });
  });

  it('an admin can revoke every session of a user; a customer cannot', async () => {
    const victim = await f.login();
    const customer = await f.login();
    const denied = await f.app.inject({
      method: 'POST',
      url: `/admin/users/${victim.userId}/sessions/revoke`,
      headers: bearer(customer.accessToken),
    });
    assertProblem(denied, 403);
    assert.equal((await me(victim.accessToken)).statusCode, 200);
    const adminId = randomUUID();
    await f.pool.query(
      `insert into subjects (user_id, roles, tier, status, updated_at) values ($1, '{customer,admin}', 'free', 'active', now())`,
      [adminId],
    );
    const admin = await f.login(adminId);
    const res = await f.app.inject({
      method: 'POST',
      url: `/admin/users/${victim.userId}/sessions/revoke`,
      headers: bearer(admin.accessToken),
    });
    assert.equal(res.statusCode, 204, res.body);
    assertProblem(await me(victim.accessToken), 401);
    assertProblem(await refresh(f.app, victim.refreshToken), 401);
  });
});

describe('revocations feed', () => {
  it('is for services only, ascending, after a seq, with lastSeq to continue from', async () => {
    const user = await f.login();
    assertProblem(
      await f.app.inject({ method: 'GET', url: '/revocations', headers: bearer(user.accessToken) }),
      403,
    );
    assertProblem(await f.app.inject({ method: 'GET', url: '/revocations' }), 401);
    const auth = await f.serviceAuth('order');
    const all = (await f.app.inject({ method: 'GET', url: '/revocations?after=0', headers: auth })).json();
    const seqs = all.entries.map((entry: { seq: number }) => entry.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((x: number, y: number) => x - y),
    );
    assert.equal(all.lastSeq, seqs.at(-1));
    const rest = (
      await f.app.inject({ method: 'GET', url: `/revocations?after=${all.lastSeq}`, headers: auth })
    ).json();
    assert.deepEqual(rest, { entries: [], lastSeq: all.lastSeq });
    await f.pool.query(`update revocations set expires_at = now() - interval '1 second' where seq = $1`, [
      seqs[0],
    ]);
    const fresh = (await f.app.inject({ method: 'GET', url: '/revocations?after=0', headers: auth })).json();
    assert.ok(
      !fresh.entries.some((entry: { seq: number }) => entry.seq === seqs[0]),
      'expired entries are left out',
    );
  });
});

describe('revocations feed paging and purge', () => {
  it('pages at 1000 with lastSeq = the last entry, then continues; purge forgets expired entries', async () => {
    const auth = await f.serviceAuth('order');
    const { rows } = await f.pool.query('select coalesce(max(seq), 0)::int as seq from revocations');
    const start = rows[0].seq;
    await f.pool.query(
      `insert into revocations (session_id, expires_at)
       select gen_random_uuid(), now() + interval '10 minutes' from generate_series(1, 1005)`,
    );
    const first = (
      await f.app.inject({ method: 'GET', url: `/revocations?after=${start}`, headers: auth })
    ).json();
    assert.equal(first.entries.length, 1000);
    assert.equal(first.lastSeq, first.entries.at(-1).seq);
    const second = (
      await f.app.inject({ method: 'GET', url: `/revocations?after=${first.lastSeq}`, headers: auth })
    ).json();
    assert.equal(second.entries.length, 5);
    assert.equal(second.lastSeq, second.entries.at(-1).seq);

    await f.pool.query(`update revocations set expires_at = now() - interval '1 second' where seq > $1`, [
      start,
    ]);
    const purged = await purgeExpired(f.pool, new Date());
    assert.ok(purged.revocations >= 1005);
    const { rows: left } = await f.pool.query('select count(*)::int as n from revocations where seq > $1', [
      start,
    ]);
    assert.equal(left[0].n, 0);
  });
});
