// The payment contracts (order.payment_requested.v1 and payment.*): each accepts a well-formed
// example and refuses what a producer could get wrong: bad money, card data instead of a token,
// a failure that claims to be retryable, free-text reasons, unknown fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OrderPaymentRequestedV1,
  PAYMENT_FAILURE_REASONS,
  PaymentFailedV1,
  PaymentRefundedV1,
  PaymentSucceededV1,
  platformEvents,
} from '../src/index.ts';

const ORDER = '6f1c1f5e-3c1b-4d7e-9a55-0d7b1f2a9c10';
const USER = '0b6f1d7e-8c1a-4f63-9c35-3c2e3f5b9a10';
const PAYMENT = '044cc1bd-fe15-455b-adf8-665060f4104d';
const AT = '2026-11-22T08:00:00.000Z';
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const fields = (problems: string[]) => problems.map((p) => p.slice(0, p.indexOf(':')));

describe('order.payment_requested.v1', () => {
  const requested = {
    orderId: ORDER,
    userId: USER,
    amount: eur(28078),
    cardToken: 'tok_0123456789abcdef01234567',
    requestedAt: AT,
  };

  it('takes an amount and a card token', () => {
    assert.deepEqual(OrderPaymentRequestedV1.problems(requested), []);
    assert.equal(platformEvents().get('order.payment_requested.v1'), OrderPaymentRequestedV1);
  });

  it('refuses card data, bad money and unknown fields, naming the field', () => {
    for (const cardToken of ['4242424242424242', 'tok_', 'ch_0123', 'tok_a b', '']) {
      assert.ok(
        fields(OrderPaymentRequestedV1.problems({ ...requested, cardToken })).includes('/cardToken'),
        cardToken,
      );
    }
    const badMoney = OrderPaymentRequestedV1.problems({
      ...requested,
      amount: { amountMinor: 1.5, currency: 'eur' },
    });
    assert.ok(fields(badMoney).includes('/amount/amountMinor'), badMoney.join('; '));
    assert.ok(fields(badMoney).includes('/amount/currency'), badMoney.join('; '));
    assert.ok(OrderPaymentRequestedV1.problems({ ...requested, userId: 'u-1' }).length > 0);
    assert.ok(OrderPaymentRequestedV1.problems({ ...requested, card: { number: '4242' } }).length > 0);
    const { requestedAt: _at, ...withoutTime } = requested;
    assert.ok(OrderPaymentRequestedV1.problems(withoutTime).length > 0);
  });
});

describe('payment events', () => {
  it('payment.succeeded.v1 names the payment, the charge and the amount', () => {
    const succeeded = {
      orderId: ORDER,
      paymentId: PAYMENT,
      chargeId: 'ch_1',
      amount: eur(100),
      succeededAt: AT,
    };
    assert.deepEqual(PaymentSucceededV1.problems(succeeded), []);
    assert.ok(fields(PaymentSucceededV1.problems({ ...succeeded, chargeId: '' })).includes('/chargeId'));
    assert.ok(fields(PaymentSucceededV1.problems({ ...succeeded, paymentId: 'p-1' })).includes('/paymentId'));
    assert.ok(PaymentSucceededV1.problems({ ...succeeded, amount: eur(-1) }).length > 0);
  });

  it('payment.failed.v1 is final: a stable reason code and retryable false, never true', () => {
    const failed = {
      orderId: ORDER,
      paymentId: PAYMENT,
      reason: 'card_declined',
      retryable: false,
      failedAt: AT,
    };
    for (const reason of PAYMENT_FAILURE_REASONS)
      assert.deepEqual(PaymentFailedV1.problems({ ...failed, reason }), []);
    assert.deepEqual(PaymentFailedV1.problems({ ...failed, reason: 'fraud_suspected' }), []);
    assert.ok(fields(PaymentFailedV1.problems({ ...failed, retryable: true })).includes('/retryable'));
    assert.ok(fields(PaymentFailedV1.problems({ ...failed, reason: 'Card declined!' })).includes('/reason'));
    const { retryable: _r, ...withoutRetryable } = failed;
    assert.ok(PaymentFailedV1.problems(withoutRetryable).length > 0);
  });

  it('payment.refunded.v1 names the refund and the amount given back', () => {
    const refunded = {
      orderId: ORDER,
      paymentId: PAYMENT,
      refundId: 're_1',
      amount: eur(100),
      refundedAt: AT,
    };
    assert.deepEqual(PaymentRefundedV1.problems(refunded), []);
    assert.ok(fields(PaymentRefundedV1.problems({ ...refunded, refundId: '' })).includes('/refundId'));
    assert.ok(PaymentRefundedV1.problems({ ...refunded, extra: 1 }).length > 0);
  });
});
