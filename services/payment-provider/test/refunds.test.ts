// Refunds: partial, the rest by default, never more than captured, failed charges refused, bad
// input refused with nothing stored; the charge shows its refunds.
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
  postRefund,
  secretAuth,
  startProvider,
  tokenize,
} from './helpers.ts';

let p: Provider;
before(async () => {
  p = await startProvider();
});
after(() => p?.close());

const getCharge = async (id: string) =>
  (await p.app.inject({ method: 'GET', url: `/v1/charges/${id}`, headers: secretAuth })).json() as ChargeBody;

describe('POST /v1/refunds', () => {
  it('refunds part, then the rest by default; the charge lists both and is then refunded', async () => {
    const charge = await paidCharge(p, 1000, { metadata: { orderId: 'r-1' } });
    const part = await postRefund(p, {
      charge: charge.id,
      amount: 250,
      reason: 'one item returned',
      metadata: { line: '2' },
    });
    assert.equal(part.statusCode, 201, part.body);
    const first = part.json();
    assert.match(first.id, /^re_[0-9a-f]{24}$/);
    assert.deepEqual(
      { ...first, id: undefined },
      {
        id: undefined,
        charge: charge.id,
        amount: 250,
        currency: 'EUR',
        status: 'succeeded',
        reason: 'one item returned',
        metadata: { line: '2' },
        createdAt: p.now().toISOString(),
      },
    );
    let after = await getCharge(charge.id);
    assert.equal(after.amountRefunded, 250);
    assert.equal(after.refunded, false);
    assert.equal(after.status, 'succeeded');

    const rest = await postRefund(p, { charge: charge.id });
    assert.equal(rest.statusCode, 201, rest.body);
    assert.equal(rest.json().amount, 750);
    after = await getCharge(charge.id);
    assert.equal(after.amountRefunded, 1000);
    assert.equal(after.refunded, true);
    assert.deepEqual(
      after.refunds.map((r) => r.amount),
      [250, 750],
    );
  });

  it('refuses more than is left, saying how much is: 422, nothing stored', async () => {
    const charge = await paidCharge(p, 1000);
    assert.equal((await postRefund(p, { charge: charge.id, amount: 600 })).statusCode, 201);
    const before = await ledgerCounts(p.pool);
    const over = await postRefund(p, { charge: charge.id, amount: 401 });
    const problem = assertProblem(over, 422, 'provider.refund_exceeds_remaining');
    assert.equal(problem.remaining, 400);
    assert.equal(await ledgerCounts(p.pool), before);
    assert.equal((await postRefund(p, { charge: charge.id, amount: 400 })).statusCode, 201);
    assertProblem(
      await postRefund(p, { charge: charge.id, amount: 1 }),
      422,
      'provider.charge_already_refunded',
    );
    assertProblem(await postRefund(p, { charge: charge.id }), 422, 'provider.charge_already_refunded');
  });

  it('a failed charge captured nothing: 422 provider.charge_not_refundable', async () => {
    const token = await tokenize(p, CARDS.insufficientFunds);
    const declined = await postCharge(p, { amount: 500, currency: 'EUR', token: token.id });
    const chargeId = String(declined.json().charge);
    assertProblem(await postRefund(p, { charge: chargeId }), 422, 'provider.charge_not_refundable');
  });

  it('an unknown charge is 422 provider.no_such_charge', async () => {
    assertProblem(await postRefund(p, { charge: `ch_${'d'.repeat(24)}` }), 422, 'provider.no_such_charge');
  });

  const bad: Array<[string, (charge: string) => Record<string, unknown>]> = [
    ['a zero amount', (charge) => ({ charge, amount: 0 })],
    ['a negative amount', (charge) => ({ charge, amount: -1 })],
    ['a fractional amount', (charge) => ({ charge, amount: 1.5 })],
    ['a malformed charge id', () => ({ charge: 'ch_1' })],
    ['no charge', () => ({ amount: 1 })],
    ['an unknown field', (charge) => ({ charge, currency: 'EUR' })],
  ];
  for (const [name, body] of bad) {
    it(`refuses ${name}: 400, nothing stored`, async () => {
      const charge = await paidCharge(p, 100);
      const before = await ledgerCounts(p.pool);
      assertProblem(await postRefund(p, body(charge.id)), 400, 'validation_failed');
      assert.equal(await ledgerCounts(p.pool), before);
    });
  }

  it('needs an Idempotency-Key', async () => {
    const charge = await paidCharge(p, 100);
    const res = await p.app.inject({
      method: 'POST',
      url: '/v1/refunds',
      headers: secretAuth,
      payload: { charge: charge.id },
    });
    assertProblem(res, 400, 'validation_failed');
    assert.equal((await getCharge(charge.id)).amountRefunded, 0);
  });

  it('net money in the ledger is captured minus refunded', async () => {
    const key = newKey();
    const charge = await paidCharge(p, 4321, { metadata: { orderId: key } });
    await postRefund(p, { charge: charge.id, amount: 321 });
    const { rows } = await p.pool.query(
      "SELECT sum(amount - amount_refunded)::int AS net FROM charges WHERE status = 'succeeded' AND metadata->>'orderId' = $1",
      [key],
    );
    assert.equal(rows[0].net, 4000);
  });
});
