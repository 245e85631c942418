// The pure rules: the order state machine, prices/shipping/tax, line merging, cursors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeOrderCursor, encodeOrderCursor } from '../src/domain/cursor.ts';
import { mergeLines } from '../src/domain/order-lines.ts';
import {
  decide,
  isCancellable,
  isWaiting,
  ORDER_STATUSES,
  type OrderStatus,
  type SagaInput,
} from '../src/domain/order-status.ts';
import { priceOrder } from '../src/domain/pricing.ts';

const INPUTS: SagaInput[] = [
  { kind: 'stock_reserved' },
  { kind: 'stock_rejected', reason: 'out_of_stock' },
  { kind: 'stock_timeout' },
  { kind: 'reservation_expired' },
  { kind: 'payment_succeeded' },
  { kind: 'payment_failed', reason: 'card_declined' },
  { kind: 'payment_timeout' },
  { kind: 'shipment_dispatched' },
  { kind: 'shipment_delivered' },
  { kind: 'customer_cancel' },
];

describe('order state machine', () => {
  it('the happy path: pending → awaiting_payment → confirmed', () => {
    const reserved = decide('pending', { kind: 'stock_reserved' });
    assert.deepEqual(reserved, {
      ok: true,
      from: 'pending',
      to: 'awaiting_payment',
      reason: null,
      refund: false,
    });
    const paid = decide('awaiting_payment', { kind: 'payment_succeeded' });
    assert.deepEqual(paid, {
      ok: true,
      from: 'awaiting_payment',
      to: 'confirmed',
      reason: null,
      refund: false,
    });
  });

  it('every legal move, and nothing else (the full table)', () => {
    const legal: Record<OrderStatus, Record<string, string>> = {
      pending: {
        stock_reserved: 'awaiting_payment',
        stock_rejected: 'cancelled',
        stock_timeout: 'cancelled',
        reservation_expired: 'cancelled',
        customer_cancel: 'cancelled',
      },
      awaiting_payment: {
        payment_succeeded: 'confirmed',
        payment_failed: 'cancelled',
        payment_timeout: 'cancelled',
        reservation_expired: 'cancelled',
        customer_cancel: 'cancelled',
      },
      confirmed: {
        customer_cancel: 'cancelled',
        shipment_dispatched: 'shipped',
        shipment_delivered: 'delivered',
      },
      shipped: { shipment_delivered: 'delivered' },
      delivered: {},
      cancelled: {},
    };
    for (const status of ORDER_STATUSES) {
      for (const input of INPUTS) {
        const decision = decide(status, input);
        const expected = legal[status][input.kind];
        if (expected === undefined) {
          assert.equal(decision.ok, false, `${status} + ${input.kind} must be refused`);
          if (!decision.ok) assert.match(decision.why, new RegExp(status));
        } else {
          assert.ok(decision.ok, `${status} + ${input.kind} must be allowed`);
          assert.equal(decision.to, expected);
        }
      }
    }
  });

  it('cancellations carry a stable reason; only a paid order is refunded', () => {
    const reasonOf = (status: OrderStatus, input: SagaInput) => {
      const d = decide(status, input);
      assert.ok(d.ok);
      return [d.reason, d.refund];
    };
    assert.deepEqual(reasonOf('pending', { kind: 'stock_rejected', reason: 'out_of_stock' }), [
      'out_of_stock',
      false,
    ]);
    assert.deepEqual(reasonOf('pending', { kind: 'stock_timeout' }), ['stock_timeout', false]);
    assert.deepEqual(reasonOf('awaiting_payment', { kind: 'payment_failed', reason: 'card_declined' }), [
      'card_declined',
      false,
    ]);
    assert.deepEqual(reasonOf('awaiting_payment', { kind: 'payment_timeout' }), ['payment_timeout', false]);
    assert.deepEqual(reasonOf('awaiting_payment', { kind: 'reservation_expired' }), [
      'reservation_expired',
      false,
    ]);
    assert.deepEqual(reasonOf('awaiting_payment', { kind: 'customer_cancel' }), ['customer_request', false]);
    assert.deepEqual(reasonOf('confirmed', { kind: 'customer_cancel' }), ['customer_request', true]);
  });

  it('a late capture after cancellation and repeated answers are refused', () => {
    assert.equal(decide('cancelled', { kind: 'payment_succeeded' }).ok, false);
    assert.equal(decide('awaiting_payment', { kind: 'stock_reserved' }).ok, false);
    assert.equal(decide('confirmed', { kind: 'payment_succeeded' }).ok, false);
  });

  it('shipping moves a confirmed order on, refunding nothing; a cancel after dispatch says why', () => {
    assert.deepEqual(decide('confirmed', { kind: 'shipment_dispatched' }), {
      ok: true,
      from: 'confirmed',
      to: 'shipped',
      reason: null,
      refund: false,
    });
    assert.deepEqual(decide('shipped', { kind: 'shipment_delivered' }), {
      ok: true,
      from: 'shipped',
      to: 'delivered',
      reason: null,
      refund: false,
    });
    const late = decide('shipped', { kind: 'customer_cancel' });
    assert.equal(late.ok, false);
    assert.match(late.ok ? '' : late.why, /shipped: its parcel is on its way/);
    const done = decide('delivered', { kind: 'customer_cancel' });
    assert.match(done.ok ? '' : done.why, /delivered: it can no longer be cancelled/);
    // A dispatch heard after the cancel (the carrier won the race) changes nothing.
    assert.equal(decide('cancelled', { kind: 'shipment_dispatched' }).ok, false);
    assert.equal(decide('delivered', { kind: 'shipment_dispatched' }).ok, false);
  });

  it('waiting and cancellable statuses', () => {
    assert.deepEqual(ORDER_STATUSES.filter(isWaiting), ['pending', 'awaiting_payment']);
    assert.deepEqual(ORDER_STATUSES.filter(isCancellable), ['pending', 'awaiting_payment', 'confirmed']);
  });
});

describe('pricing', () => {
  it('below 50.00: flat 5.99 shipping; tax on subtotal + shipping at the country rate, half up', () => {
    // 2 × 19.99 = 39.98; + 5.99 = 45.97; DE 19% = 8.7343 → 8.73
    assert.deepEqual(priceOrder([{ quantity: 2, unitPriceMinor: 1999 }], 'DE'), {
      subtotalMinor: 3998,
      shippingMinor: 599,
      taxMinor: 873,
      totalMinor: 5470,
    });
  });

  it('from 50.00: free shipping; an untaxed country pays no tax', () => {
    assert.deepEqual(priceOrder([{ quantity: 1, unitPriceMinor: 5000 }], 'US'), {
      subtotalMinor: 5000,
      shippingMinor: 0,
      taxMinor: 0,
      totalMinor: 5000,
    });
    assert.equal(priceOrder([{ quantity: 1, unitPriceMinor: 4999 }], 'ZZ').shippingMinor, 599);
  });

  it('rounds to the minor unit, half up: FR 20% of 8.49 = 1.698 → 1.70; CH 8.1% of 55.00 = 4.455 → 4.46', () => {
    assert.equal(priceOrder([{ quantity: 1, unitPriceMinor: 250 }], 'FR').taxMinor, 170);
    assert.equal(priceOrder([{ quantity: 1, unitPriceMinor: 5500 }], 'CH').taxMinor, 446);
  });
});

describe('order lines', () => {
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  it('the same product twice is one line with the quantities summed', () => {
    assert.deepEqual(
      mergeLines([
        { productId: id(1), quantity: 2 },
        { productId: id(2), quantity: 1 },
        { productId: id(1).toUpperCase(), quantity: 3 },
      ]),
      {
        ok: true,
        lines: [
          { productId: id(1), quantity: 5 },
          { productId: id(2), quantity: 1 },
        ],
      },
    );
  });

  it('refuses no lines, a quantity out of 1..1000 (also once summed), more than 100 lines', () => {
    assert.equal(mergeLines([]).ok, false);
    assert.equal(mergeLines([{ productId: id(1), quantity: 0 }]).ok, false);
    assert.equal(mergeLines([{ productId: id(1), quantity: -1 }]).ok, false);
    assert.equal(mergeLines([{ productId: id(1), quantity: 1.5 }]).ok, false);
    assert.equal(
      mergeLines([
        { productId: id(1), quantity: 600 },
        { productId: id(1), quantity: 600 },
      ]).ok,
      false,
    );
    const many = Array.from({ length: 101 }, (_, i) => ({ productId: id(i), quantity: 1 }));
    assert.equal(mergeLines(many).ok, false);
    assert.equal(mergeLines(many.slice(0, 100)).ok, true);
  });
});

describe('cursor', () => {
  it('round-trips and refuses what it did not make', () => {
    const key = {
      createdAt: new Date('2030-01-02T03:04:05.678Z'),
      id: '00000000-0000-4000-8000-000000000001',
    };
    assert.deepEqual(decodeOrderCursor(encodeOrderCursor(key)), key);
    assert.equal(decodeOrderCursor('nope!'), undefined);
    assert.equal(decodeOrderCursor(Buffer.from('2030-01-02|x').toString('base64url')), undefined);
    assert.equal(decodeOrderCursor(''), undefined);
  });
});
