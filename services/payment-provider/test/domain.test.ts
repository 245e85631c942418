// The pure rules: card checks, brands, test-card outcomes, token states, refund amounts, faults
// and cursors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brandOf } from '../src/domain/brand.ts';
import { checkCard, passesLuhn } from '../src/domain/card.ts';
import { decodeCursor, encodeCursor } from '../src/domain/cursor.ts';
import { injectedFault, NO_FAULTS } from '../src/domain/faults.ts';
import { decideRefund } from '../src/domain/refund.ts';
import { outcomeOf } from '../src/domain/test-cards.ts';
import { chargeRefusal, tokenStatus } from '../src/domain/token.ts';

const NOW = new Date('2030-06-15T12:00:00Z');

describe('cards', () => {
  it('Luhn: the test cards pass, a changed digit fails', () => {
    for (const n of [
      '4242424242424242',
      '4000000000000002',
      '4000000000009995',
      '4000000000000119',
      '378282246310005',
    ])
      assert.ok(passesLuhn(n), n);
    for (const n of ['4242424242424241', '4000000000000003', '', '42a2']) assert.ok(!passesLuhn(n), n);
  });

  it('brands by leading digits', () => {
    assert.equal(brandOf('4242424242424242'), 'visa');
    assert.equal(brandOf('5555555555554444'), 'mastercard');
    assert.equal(brandOf('2223003122003222'), 'mastercard');
    assert.equal(brandOf('378282246310005'), 'amex');
    assert.equal(brandOf('6011111111111117'), 'discover');
    assert.equal(brandOf('3566002020360505'), 'unknown');
  });

  it('test-card outcomes; anything else succeeds', () => {
    assert.equal(outcomeOf('4242424242424242'), 'succeeds');
    assert.equal(outcomeOf('4000000000000002'), 'card_declined');
    assert.equal(outcomeOf('4000000000009995'), 'insufficient_funds');
    assert.equal(outcomeOf('4000000000000119'), 'processing_error');
    assert.equal(outcomeOf('5555555555554444'), 'succeeds');
  });

  it('expiry: good through the end of the month, in UTC', () => {
    const card = { number: '4242 4242 4242 4242', cvc: '123' };
    assert.ok(checkCard({ ...card, expMonth: 6, expYear: 2030 }, NOW).ok);
    assert.ok(checkCard({ ...card, expMonth: 6, expYear: 2030 }, new Date('2030-06-30T23:59:59.999Z')).ok);
    assert.ok(!checkCard({ ...card, expMonth: 6, expYear: 2030 }, new Date('2030-07-01T00:00:00Z')).ok);
  });

  it('keeps digits only and the last four; spaces or dashes between groups are fine, doubled ones are not', () => {
    const ok = checkCard({ number: '4242-4242-4242-4242', cvc: '123', expMonth: 1, expYear: 2031 }, NOW);
    assert.ok(ok.ok);
    assert.equal(ok.card.digits, '4242424242424242');
    assert.equal(ok.card.last4, '4242');
    assert.ok(!checkCard({ number: '4242  4242 4242 4242', cvc: '123', expMonth: 1, expYear: 2031 }, NOW).ok);
    assert.ok(!checkCard({ number: ' 4242424242424242', cvc: '123', expMonth: 1, expYear: 2031 }, NOW).ok);
  });
});

describe('tokens', () => {
  const token = { expiresAt: new Date(NOW.getTime() + 1000), usedBy: null, customer: null };
  it('active, expired at its expiry, used whatever the time', () => {
    assert.equal(tokenStatus(token, NOW), 'active');
    assert.equal(tokenStatus(token, token.expiresAt), 'expired');
    assert.equal(tokenStatus({ ...token, usedBy: 'ch_x' }, new Date(0)), 'used');
    assert.equal(tokenStatus({ ...token, usedBy: 'ch_x' }, new Date(NOW.getTime() + 5000)), 'used');
  });

  it('a customer token pays only for that customer', () => {
    const owned = { ...token, customer: 'alice' };
    assert.equal(chargeRefusal(owned, 'alice', NOW), undefined);
    assert.equal(chargeRefusal(owned, 'bob', NOW), 'token_customer_mismatch');
    assert.equal(chargeRefusal(owned, undefined, NOW), 'token_customer_mismatch');
    assert.equal(chargeRefusal(token, 'anyone', NOW), undefined);
    assert.equal(chargeRefusal({ ...owned, usedBy: 'ch_x' }, 'bob', NOW), 'token_used');
  });
});

describe('refunds', () => {
  const charge = { status: 'succeeded' as const, amount: 1000, amountRefunded: 300 };
  it('the rest by default, a part on request, never more than is left', () => {
    assert.deepEqual(decideRefund(charge, undefined), { ok: true, amount: 700 });
    assert.deepEqual(decideRefund(charge, 700), { ok: true, amount: 700 });
    assert.deepEqual(decideRefund(charge, 701), {
      ok: false,
      refusal: 'refund_exceeds_remaining',
      remaining: 700,
    });
    assert.deepEqual(decideRefund({ ...charge, amountRefunded: 1000 }, undefined), {
      ok: false,
      refusal: 'charge_already_refunded',
    });
    assert.deepEqual(decideRefund({ ...charge, status: 'failed', amountRefunded: 0 }, 1), {
      ok: false,
      refusal: 'charge_not_refundable',
    });
  });
});

describe('faults and cursors', () => {
  it('down always fails; an error rate fails the draws below it', () => {
    assert.equal(injectedFault({ ...NO_FAULTS, down: true }, 0.99), 'down');
    assert.equal(injectedFault({ ...NO_FAULTS, errorRate: 0.2 }, 0.19), 'error_rate');
    assert.equal(injectedFault({ ...NO_FAULTS, errorRate: 0.2 }, 0.2), undefined);
    assert.equal(injectedFault(NO_FAULTS, 0), undefined);
  });

  it('a cursor round-trips; anything else is refused', () => {
    assert.equal(decodeCursor(encodeCursor('12345')), '12345');
    for (const bad of ['', 'x', encodeCursor('0'), Buffer.from('s:-1').toString('base64url'), 'a'.repeat(30)])
      assert.equal(decodeCursor(bad), undefined, bad);
  });
});
