// The admin routes: payments by order and by status with cursor paging, one payment with its
// calls; callers verified (no token 401, a customer 403); bad input a 400 problem+json that
// changes nothing. Payments are stored in final states, so the worker has nothing to call.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { freePort } from '@shopnow/testkit';
import { assertProblem, asUser, type PaymentFixture, startPayment } from './helpers.ts';

let f: PaymentFixture;
let admin: Record<string, string>;
const orders: string[] = [];
before(async () => {
  f = await startPayment(`http://127.0.0.1:${await freePort()}`);
  admin = await asUser(f, ['admin']);
  for (let i = 0; i < 5; i++) {
    const orderId = randomUUID();
    orders.push(orderId);
    const status = i % 2 === 0 ? 'captured' : 'failed';
    const { rows } = await f.pool.query(
      `INSERT INTO payments (id, order_id, user_id, amount_minor, currency, card_token, status, charge_id,
                             failure_reason, attempts, requested_at, created_at)
       VALUES (gen_random_uuid(), $1, gen_random_uuid(), $2, 'EUR', 'tok_x', $3, $4, $5, 1, now(),
               now() - make_interval(secs => $6))
       RETURNING id`,
      [
        orderId,
        1000 + i,
        status,
        status === 'captured' ? `ch_${i}` : null,
        status === 'failed' ? 'card_declined' : null,
        10 - i,
      ],
    );
    await f.pool.query(
      `INSERT INTO payment_attempts (payment_id, kind, outcome, http_status, code, maybe_sent, started_at, finished_at)
       VALUES ($1, 'charge', 'retry', 503, 'provider.unavailable', false, now(), now()),
              ($1, 'charge', $2, $3, $4, $5, now(), now())`,
      [
        rows[0].id,
        status === 'captured' ? 'succeeded' : 'declined',
        status === 'captured' ? 201 : 402,
        status === 'captured' ? null : 'provider.card_declined',
        status === 'captured',
      ],
    );
  }
});
after(() => f?.close());

const get = (url: string, headers: Record<string, string> = admin) =>
  f.app.inject({ method: 'GET', url, headers });

describe('GET /payments', () => {
  it("finds an order's payment", async () => {
    const res = await get(`/payments?orderId=${orders[2]}`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.items.length, 1);
    assert.deepEqual(
      {
        orderId: body.items[0].orderId,
        amount: body.items[0].amount,
        status: body.items[0].status,
        chargeId: body.items[0].chargeId,
      },
      {
        orderId: orders[2],
        amount: { amountMinor: 1002, currency: 'EUR' },
        status: 'captured',
        chargeId: 'ch_2',
      },
    );
    assert.equal(body.items[0].cardToken, undefined, 'the card token is not shown');
    assert.equal(body.nextCursor, null);
  });

  it('pages newest first with a cursor, and filters by status', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/payments?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      seen.push(...body.items.map((p: { orderId: string }) => p.orderId));
      cursor = body.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(seen, [...orders].reverse());
    const failed = (await get('/payments?status=failed')).json();
    assert.deepEqual(
      failed.items.map((p: { orderId: string; failureReason: string }) => [p.orderId, p.failureReason]),
      [
        [orders[3], 'card_declined'],
        [orders[1], 'card_declined'],
      ],
    );
  });

  it('refuses bad queries with a 400 problem', async () => {
    for (const query of ['orderId=nope', 'status=lost', 'limit=0', 'limit=201', 'colour=red']) {
      assertProblem(await get(`/payments?${query}`), 400, 'validation_failed');
    }
    assertProblem(await get('/payments?cursor=not-ours'), 400, 'payment.invalid_cursor');
  });
});

describe('GET /payments/:id', () => {
  it('shows the payment with every call made for it', async () => {
    const listed = (await get(`/payments?orderId=${orders[1]}`)).json().items[0];
    const res = await get(`/payments/${listed.id}`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 'failed');
    assert.deepEqual(
      body.attempts.map((a: { outcome: string; httpStatus: number; code: string }) => [
        a.outcome,
        a.httpStatus,
        a.code,
      ]),
      [
        ['retry', 503, 'provider.unavailable'],
        ['declined', 402, 'provider.card_declined'],
      ],
    );
  });

  it('404 for an unknown payment, 400 for a malformed id', async () => {
    assertProblem(await get(`/payments/${randomUUID()}`), 404, 'payment.not_found');
    assertProblem(await get('/payments/12'), 400, 'validation_failed');
  });
});

describe('callers', () => {
  it('no token is 401, a customer 403, a forged role header changes nothing', async () => {
    assertProblem(await get('/payments', {}), 401);
    assertProblem(await get('/payments', { 'x-user-roles': 'admin' }), 401);
    assertProblem(await get(`/payments?orderId=${orders[0]}`, await asUser(f, ['customer'])), 403);
  });
});
