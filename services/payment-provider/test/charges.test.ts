// Charges: every test card's outcome, the token rules (expired, used, another customer's), bad
// input refused with nothing stored, and the ledger list (filters, paging).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertProblem } from '@shopnow/testkit';
import {
  CARDS,
  type ChargeBody,
  ledgerCounts,
  newKey,
  type Provider,
  paidCharge,
  postCharge,
  secretAuth,
  startProvider,
  tokenize,
} from './helpers.ts';

let p: Provider;
before(async () => {
  p = await startProvider();
});
after(() => p?.close());

const getCharge = (id: string) =>
  p.app.inject({ method: 'GET', url: `/v1/charges/${id}`, headers: secretAuth });
const list = (query: string) =>
  p.app.inject({ method: 'GET', url: `/v1/charges?${query}`, headers: secretAuth });

describe('test cards', () => {
  it('4242 4242 4242 4242 succeeds: 201, the charge in the ledger, the token used', async () => {
    const token = await tokenize(p, CARDS.succeeds, { customer: 'user-1' });
    const res = await postCharge(p, {
      amount: 1999,
      currency: 'EUR',
      token: token.id,
      customer: 'user-1',
      description: 'Order 42',
      metadata: { orderId: 'order-42' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const charge = res.json() as ChargeBody;
    assert.match(charge.id, /^ch_[0-9a-f]{24}$/);
    assert.deepEqual(
      { ...charge, id: undefined },
      {
        id: undefined,
        amount: 1999,
        amountRefunded: 0,
        currency: 'EUR',
        status: 'succeeded',
        refunded: false,
        failureCode: null,
        customer: 'user-1',
        description: 'Order 42',
        metadata: { orderId: 'order-42' },
        token: token.id,
        card: { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034 },
        createdAt: p.now().toISOString(),
        refunds: [],
      },
    );
    assert.deepEqual((await getCharge(charge.id)).json(), charge);
  });

  it('any other valid number succeeds too', async () => {
    const token = await tokenize(p, CARDS.mastercard);
    const res = await postCharge(p, { amount: 100, currency: 'USD', token: token.id });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().card.brand, 'mastercard');
  });

  for (const [number, code] of [
    [CARDS.declined, 'card_declined'],
    [CARDS.insufficientFunds, 'insufficient_funds'],
  ] as const) {
    it(`${number} is declined with ${code}: 402, a failed charge in the ledger`, async () => {
      const token = await tokenize(p, number);
      const res = await postCharge(p, {
        amount: 700,
        currency: 'EUR',
        token: token.id,
        metadata: { orderId: code },
      });
      const problem = assertProblem(res, 402, `provider.${code}`);
      assert.equal(problem.declineCode, code);
      const charge = (await getCharge(String(problem.charge))).json() as ChargeBody;
      assert.equal(charge.status, 'failed');
      assert.equal(charge.failureCode, code);
      assert.equal(charge.amount, 700);
    });
  }

  it('4000 0000 0000 0119 is a processing error: 502, retryable, nothing stored; the same key runs again', async () => {
    const token = await tokenize(p, CARDS.processingError);
    const before = await ledgerCounts(p.pool);
    const key = newKey();
    const body = { amount: 300, currency: 'EUR', token: token.id };
    const first = await postCharge(p, body, key);
    const problem = assertProblem(first, 502, 'provider.processing_error');
    assert.equal(problem.retryable, true);
    assert.equal(await ledgerCounts(p.pool), before, 'no charge, no idempotency record');
    const again = await postCharge(p, body, key);
    assertProblem(again, 502, 'provider.processing_error');
    assert.notEqual(again.json().request_id, problem.request_id, 'run again, not replayed');
    assert.equal(again.headers['idempotent-replayed'], undefined);
  });
});

describe('token rules', () => {
  it('an expired token is refused: 422 provider.token_expired, nothing stored', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    p.advance(15 * 60 * 1000);
    const before = await ledgerCounts(p.pool);
    assertProblem(
      await postCharge(p, { amount: 100, currency: 'EUR', token: token.id }),
      422,
      'provider.token_expired',
    );
    assert.equal(await ledgerCounts(p.pool), before);
  });

  it('a token pays once: a second charge with another key is 422 provider.token_used', async () => {
    const charge = await paidCharge(p, 100);
    const before = await ledgerCounts(p.pool);
    const again = await postCharge(p, { amount: 100, currency: 'EUR', token: charge.token });
    assertProblem(again, 422, 'provider.token_used');
    assert.equal(await ledgerCounts(p.pool), before);
  });

  it("another customer's token is refused, and so is charging it without a customer", async () => {
    const token = await tokenize(p, CARDS.succeeds, { customer: 'alice' });
    const before = await ledgerCounts(p.pool);
    for (const customer of ['mallory', undefined]) {
      const res = await postCharge(p, { amount: 100, currency: 'EUR', token: token.id, customer });
      assertProblem(res, 422, 'provider.token_customer_mismatch');
    }
    assert.equal(await ledgerCounts(p.pool), before);
    const own = await postCharge(p, { amount: 100, currency: 'EUR', token: token.id, customer: 'alice' });
    assert.equal(own.statusCode, 201, own.body);
  });

  it('a token made without a customer may be charged for one', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    const res = await postCharge(p, { amount: 100, currency: 'EUR', token: token.id, customer: 'bob' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().customer, 'bob');
  });

  it('an unknown token is 422 provider.no_such_token', async () => {
    const res = await postCharge(p, { amount: 100, currency: 'EUR', token: `tok_${'b'.repeat(24)}` });
    assertProblem(res, 422, 'provider.no_such_token');
  });
});

describe('bad input: 400 problem+json, nothing stored', () => {
  const cases: Array<[string, (token: string) => Record<string, unknown>]> = [
    ['a zero amount', (token) => ({ amount: 0, currency: 'EUR', token })],
    ['a negative amount', (token) => ({ amount: -5, currency: 'EUR', token })],
    ['a fractional amount', (token) => ({ amount: 9.99, currency: 'EUR', token })],
    ['an amount as text', (token) => ({ amount: '100', currency: 'EUR', token })],
    ['a huge amount', (token) => ({ amount: 10 ** 12, currency: 'EUR', token })],
    ['a lower-case currency', (token) => ({ amount: 100, currency: 'eur', token })],
    ['no currency', (token) => ({ amount: 100, token })],
    ['a malformed token', () => ({ amount: 100, currency: 'EUR', token: 'tok_123' })],
    [
      'metadata with a number',
      (token) => ({ amount: 100, currency: 'EUR', token, metadata: { orderId: 7 } }),
    ],
    ['an unknown field', (token) => ({ amount: 100, currency: 'EUR', token, capture: false })],
    [
      'a NUL in the description',
      (token) => ({ amount: 100, currency: 'EUR', token, description: 'a\u0000b' }),
    ],
  ];
  for (const [name, body] of cases) {
    it(name, async () => {
      const token = await tokenize(p, CARDS.succeeds);
      const before = await ledgerCounts(p.pool);
      assertProblem(await postCharge(p, body(token.id)), 400, 'validation_failed');
      assert.equal(await ledgerCounts(p.pool), before);
    });
  }

  it('no Idempotency-Key header', async () => {
    const token = await tokenize(p, CARDS.succeeds);
    const before = await ledgerCounts(p.pool);
    const res = await p.app.inject({
      method: 'POST',
      url: '/v1/charges',
      headers: secretAuth,
      payload: { amount: 100, currency: 'EUR', token: token.id },
    });
    const problem = assertProblem(res, 400, 'validation_failed');
    assert.equal(problem.errors?.[0]?.field, '/idempotency-key');
    assert.equal(await ledgerCounts(p.pool), before);
  });

  it('a body that is not JSON is 415', async () => {
    const res = await p.app.inject({
      method: 'POST',
      url: '/v1/charges',
      headers: { ...secretAuth, 'idempotency-key': newKey(), 'content-type': 'text/plain' },
      payload: 'amount=100',
    });
    assertProblem(res, 415, 'unsupported_media_type');
  });
});

describe('GET /v1/charges', () => {
  let mine: ChargeBody[];
  before(async () => {
    mine = [];
    for (let i = 0; i < 5; i++) {
      mine.push(await paidCharge(p, 100 + i, { customer: 'lister', metadata: { orderId: `list-${i % 2}` } }));
    }
    const declined = await tokenize(p, CARDS.declined);
    await postCharge(p, { amount: 5, currency: 'EUR', token: declined.id, customer: 'lister' });
  });

  it('filters by customer, metadata orderId and status, newest first', async () => {
    const all = (await list('customer=lister')).json() as { items: ChargeBody[] };
    assert.equal(all.items.length, 6);
    assert.equal(all.items[0]?.status, 'failed', 'newest first');
    const byOrder = (await list('orderId=list-1')).json() as { items: ChargeBody[] };
    assert.deepEqual(
      byOrder.items.map((c) => c.id),
      [mine[3]?.id, mine[1]?.id],
    );
    const failed = (await list('customer=lister&status=failed')).json() as { items: ChargeBody[] };
    assert.deepEqual(
      failed.items.map((c) => c.failureCode),
      ['card_declined'],
    );
  });

  it('pages by cursor without skipping or repeating', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`customer=lister&status=succeeded&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as { items: ChargeBody[]; nextCursor: string | null };
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    assert.equal(pages, 3);
    assert.deepEqual(seen, mine.map((c) => c.id).reverse());
  });

  it('refuses a forged cursor, a bad status or limit with 400', async () => {
    for (const query of [
      'cursor=abc',
      'cursor=czow',
      'cursor=%2B%2B',
      'status=pending',
      'limit=0',
      'limit=101',
      'limit=2.5',
      'color=red',
    ]) {
      const res = await list(query);
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      assertProblem(res, 400, 'validation_failed');
    }
  });

  it('an unknown charge is 404, a malformed id 400', async () => {
    assertProblem(await getCharge(`ch_${'c'.repeat(24)}`), 404, 'provider.charge_not_found');
    assertProblem(await getCharge('ch_x'), 400, 'validation_failed');
  });
});
