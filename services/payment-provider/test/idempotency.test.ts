// Idempotency-Key on charges and refunds, through the database so that it holds across
// replicas: same key and request → the first answer replayed byte for byte; same key, other
// request → 422; while the first is still running → 409.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem } from '@shopnow/testkit';
import {
  CARDS,
  ledgerCounts,
  newKey,
  type Provider,
  paidCharge,
  postCharge,
  postRefund,
  startProvider,
  tokenize,
} from './helpers.ts';

let p: Provider;
let replica: Provider;
before(async () => {
  p = await startProvider();
  replica = await startProvider({ db: p.db });
});
after(async () => {
  await replica?.close();
  await p?.close();
});

/** Holds a row lock from outside the app until released: the app's transaction waits behind it. */
async function holdLock(sql: string, id: string) {
  const client = await p.pool.connect();
  await client.query('BEGIN');
  await client.query(sql, [id]);
  return async () => {
    await client.query('ROLLBACK');
    client.release();
  };
}

/** Until `n` backends wait for a row lock (a request has reached the held row). */
async function waitForLockWaiters(n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await p.pool.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (rows[0].n >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${n} lock waiters after 2 s`);
}

describe('charges', () => {
  it('a repeat, on either replica, is the first answer byte for byte, marked replayed; nothing is charged twice', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    const key = newKey();
    const body = { amount: 2500, currency: 'EUR', token: token.id, metadata: { orderId: 'o-1' } };
    const first = await postCharge(p, body, key);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const counts = await ledgerCounts(p.pool);
    for (const app of [p, replica]) {
      const again = await postCharge(
        app,
        { metadata: { orderId: 'o-1' }, token: token.id, currency: 'EUR', amount: 2500 },
        key,
      );
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(again.body, first.body);
    }
    assert.equal(await ledgerCounts(p.pool), counts);
  });

  it('a declined charge is a final answer: replayed, with its request id and charge', async () => {
    const token = await tokenize(p, CARDS.declined);
    const key = newKey();
    const body = { amount: 100, currency: 'EUR', token: token.id };
    const first = await postCharge(p, body, key);
    assertProblem(first, 402, 'provider.card_declined');
    const again = await postCharge(replica, body, key);
    assert.equal(again.statusCode, 402);
    assert.match(String(again.headers['content-type']), /^application\/problem\+json/);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body, first.body);
    const { rows } = await p.pool.query('SELECT count(*)::int AS n FROM charges WHERE token_id = $1', [
      token.id,
    ]);
    assert.equal(rows[0].n, 1);
  });

  it('the same key with other parameters is 422 and changes nothing', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    const key = newKey();
    assert.equal(
      (await postCharge(p, { amount: 100, currency: 'EUR', token: token.id }, key)).statusCode,
      201,
    );
    const counts = await ledgerCounts(p.pool);
    for (const body of [
      { amount: 101, currency: 'EUR', token: token.id },
      { amount: 100, currency: 'USD', token: token.id },
      { amount: 100, currency: 'EUR', token: token.id, metadata: { orderId: 'x' } },
    ]) {
      assertProblem(await postCharge(replica, body, key), 422, 'idempotency_key_mismatch');
    }
    assert.equal(await ledgerCounts(p.pool), counts);
  });

  it('a request while another with the same key is in flight (on another replica) is 409; the first then completes', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    const key = newKey();
    const body = { amount: 100, currency: 'EUR', token: token.id };
    const release = await holdLock('SELECT 1 FROM tokens WHERE id = $1 FOR UPDATE', token.id);
    const first = postCharge(p, body, key);
    try {
      // Once the first waits for the token row, it holds the key; the second finds it taken.
      await waitForLockWaiters(1);
      assertProblem(await postCharge(replica, body, key), 409, 'idempotency_in_progress');
    } finally {
      await release();
    }
    const done = await first;
    assert.equal(done.statusCode, 201, done.body);
    const replay = await postCharge(replica, body, key);
    assert.equal(replay.body, done.body);
  });

  it('two keys racing for one token: exactly one charge succeeds', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    const body = { amount: 100, currency: 'EUR', token: token.id };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => postCharge(i % 2 === 0 ? p : replica, body)),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [201, 422, 422, 422, 422, 422, 422, 422]);
    for (const r of results.filter((r) => r.statusCode === 422))
      assert.equal(r.json().code, 'provider.token_used');
  });

  it('a key refused for bad input is not spent: the corrected request with that key goes through', async () => {
    const token = await tokenize(p, CARDS.succeeds, { customer: 'carol' });
    const key = newKey();
    assertProblem(await postCharge(p, { amount: 100, currency: 'EUR', token: token.id }, key), 422);
    const ok = await postCharge(p, { amount: 100, currency: 'EUR', token: token.id, customer: 'carol' }, key);
    assert.equal(ok.statusCode, 201, ok.body);
  });
});

describe('refunds', () => {
  it('a repeat is replayed, not refunded twice; the same key with another amount is 422', async () => {
    const charge = await paidCharge(p, 1000);
    const key = newKey();
    const first = await postRefund(p, { charge: charge.id, amount: 300 }, key);
    assert.equal(first.statusCode, 201, first.body);
    const again = await postRefund(replica, { charge: charge.id, amount: 300 }, key);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body, first.body);
    assertProblem(
      await postRefund(p, { charge: charge.id, amount: 301 }, key),
      422,
      'idempotency_key_mismatch',
    );
    const { rows } = await p.pool.query('SELECT amount_refunded FROM charges WHERE id = $1', [charge.id]);
    assert.equal(rows[0].amount_refunded, 300);
  });

  it('charges and refunds keep separate key spaces', async () => {
    const charge = await paidCharge(p, 1000);
    const key = newKey();
    const token = await tokenize(p, CARDS.succeeds);
    assert.equal(
      (await postCharge(p, { amount: 100, currency: 'EUR', token: token.id }, key)).statusCode,
      201,
    );
    assert.equal((await postRefund(p, { charge: charge.id }, key)).statusCode, 201);
  });

  it('refunds of one charge sent at once never exceed it', async () => {
    const charge = await paidCharge(p, 1000);
    const release = await holdLock('SELECT 1 FROM charges WHERE id = $1 FOR UPDATE', charge.id);
    const racing = [
      postRefund(p, { charge: charge.id, amount: 600 }),
      postRefund(replica, { charge: charge.id, amount: 600 }),
    ];
    await waitForLockWaiters(2);
    await release();
    const statuses = (await Promise.all(racing)).map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [201, 422]);
    const { rows } = await p.pool.query('SELECT amount_refunded FROM charges WHERE id = $1', [charge.id]);
    assert.equal(rows[0].amount_refunded, 600);
  });
});
