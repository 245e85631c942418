// Pure rules: what each processor reply means (final or retried, and whether money may have
// moved), what a capture means for each state, and the list cursor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from '../src/domain/cursor.ts';
import { afterCapture, onOrderCancelled, PAYMENT_STATUSES } from '../src/domain/payment-status.ts';
import type { ProviderReply } from '../src/domain/provider-reply.ts';
import { chargeVerdict, lookupVerdict, refundVerdict } from '../src/domain/verdicts.ts';

const answer = (status: number, code: string | null = null, body: unknown = {}): ProviderReply => ({
  kind: 'answer',
  status,
  code,
  body,
});

describe('charge verdicts', () => {
  it('201 succeeds with the charge id; a 201 without one is not trusted (retried with the key)', () => {
    assert.deepEqual(chargeVerdict(answer(201, null, { id: 'ch_1' })), {
      outcome: 'succeeded',
      value: { chargeId: 'ch_1' },
    });
    assert.deepEqual(chargeVerdict(answer(201, null, 'oops')), { outcome: 'retry', maybeSent: true });
  });

  it('declines and refused tokens are final, with stable reasons', () => {
    assert.deepEqual(chargeVerdict(answer(402, 'provider.card_declined')), {
      outcome: 'declined',
      reason: 'card_declined',
    });
    assert.deepEqual(chargeVerdict(answer(402, 'provider.insufficient_funds')), {
      outcome: 'declined',
      reason: 'insufficient_funds',
    });
    for (const code of [
      'provider.token_expired',
      'provider.token_used',
      'provider.no_such_token',
      'provider.token_customer_mismatch',
    ]) {
      assert.deepEqual(chargeVerdict(answer(422, code)), { outcome: 'rejected', reason: 'token_invalid' });
    }
    assert.deepEqual(chargeVerdict(answer(422, 'idempotency_key_mismatch')), {
      outcome: 'rejected',
      reason: 'request_rejected',
    });
    assert.deepEqual(chargeVerdict(answer(400, 'validation_failed')), {
      outcome: 'rejected',
      reason: 'request_rejected',
    });
  });

  it('outages, processing errors, our key and a key in flight are retried; only ambiguous ones may have charged', () => {
    for (const status of [502, 503, 401, 429]) {
      assert.deepEqual(chargeVerdict(answer(status)), { outcome: 'retry', maybeSent: false }, String(status));
    }
    for (const status of [409, 500, 504]) {
      assert.deepEqual(chargeVerdict(answer(status)), { outcome: 'retry', maybeSent: true }, String(status));
    }
    assert.deepEqual(chargeVerdict({ kind: 'no_answer', failure: 'timeout', maybeSent: true }), {
      outcome: 'retry',
      maybeSent: true,
    });
    assert.deepEqual(chargeVerdict({ kind: 'no_answer', failure: 'circuit_open', maybeSent: false }), {
      outcome: 'retry',
      maybeSent: false,
    });
  });
});

describe('refund and lookup verdicts', () => {
  it('a refund needs its id and amount; a refusal is final', () => {
    assert.deepEqual(refundVerdict(answer(201, null, { id: 're_1', amount: 500 })), {
      outcome: 'succeeded',
      value: { refundId: 're_1', amountMinor: 500 },
    });
    assert.equal(refundVerdict(answer(422, 'provider.charge_already_refunded')).outcome, 'rejected');
    assert.equal(refundVerdict(answer(503)).outcome, 'retry');
  });

  it('a lookup finds the succeeded charge, or none', () => {
    assert.deepEqual(lookupVerdict(answer(200, null, { items: [{ id: 'ch_9', status: 'succeeded' }] })), {
      outcome: 'succeeded',
      value: { chargeId: 'ch_9' },
    });
    assert.deepEqual(lookupVerdict(answer(200, null, { items: [] })), {
      outcome: 'succeeded',
      value: { chargeId: null },
    });
    assert.equal(lookupVerdict(answer(503)).outcome, 'retry');
  });
});

describe('payment states', () => {
  it('a capture: captured, or refunding when the order is cancelled; later states keep theirs', () => {
    assert.equal(afterCapture('pending', false), 'captured');
    assert.equal(afterCapture('pending', true), 'refunding');
    assert.equal(afterCapture('abandoned', true), 'refunding');
    for (const status of ['captured', 'refunding', 'refunded', 'failed', 'refund_failed'] as const) {
      assert.equal(afterCapture(status, true), undefined, status);
    }
  });

  it('a cancel refunds only a capture', () => {
    assert.deepEqual(
      PAYMENT_STATUSES.filter((s) => onOrderCancelled(s) === 'refund'),
      ['captured'],
    );
  });
});

describe('cursor', () => {
  it('round-trips and refuses anything else', () => {
    const at = {
      createdAt: new Date('2026-11-22T08:00:00.123Z'),
      id: '044cc1bd-fe15-455b-adf8-665060f4104d',
    };
    assert.deepEqual(decodeCursor(encodeCursor(at)), at);
    for (const text of ['', 'not-ours', Buffer.from('2026|x').toString('base64url'), 'a'.repeat(200)]) {
      assert.equal(decodeCursor(text), undefined, text);
    }
  });
});
