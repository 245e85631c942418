// The pure rules: lines per SKU in lock order, the all-or-nothing decision and its reason, the
// low-stock crossing, the list cursor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSkuCursor, encodeSkuCursor } from '../src/domain/cursor.ts';
import { initiallyAlerted, lowStockTransition } from '../src/domain/low-stock.ts';
import { canTakeAll, perSku, planReservation } from '../src/domain/reservation-plan.ts';

describe('reservation plan', () => {
  it('sums lines per SKU, upper-cased, in SKU order', () => {
    assert.deepEqual(
      perSku([
        { sku: 'b-2', quantity: 1 },
        { sku: 'A-1', quantity: 2 },
        { sku: 'B-2', quantity: 3 },
      ]),
      [
        { sku: 'A-1', quantity: 2 },
        { sku: 'B-2', quantity: 4 },
      ],
    );
  });

  it('reserves all or nothing; an unknown SKU outranks an inactive one, which outranks a shortage', () => {
    const levels = [
      { sku: 'A-1', available: 5, active: true },
      { sku: 'B-2', available: 1, active: true },
      { sku: 'C-3', available: 9, active: false },
    ];
    assert.deepEqual(planReservation([{ sku: 'A-1', quantity: 5 }], levels), {
      ok: true,
      lines: [{ sku: 'A-1', quantity: 5 }],
    });
    assert.deepEqual(
      planReservation(
        [
          { sku: 'A-1', quantity: 6 },
          { sku: 'B-2', quantity: 2 },
        ],
        levels,
      ),
      {
        ok: false,
        reason: 'out_of_stock',
        lines: [
          { sku: 'A-1', requested: 6, available: 5 },
          { sku: 'B-2', requested: 2, available: 1 },
        ],
      },
    );
    const mixed = [
      { sku: 'B-2', quantity: 2 },
      { sku: 'C-3', quantity: 1 },
      { sku: 'Z-9', quantity: 1 },
    ];
    const unknown = planReservation(mixed, levels);
    assert.equal(unknown.ok === false && unknown.reason, 'unknown_sku');
    const inactive = planReservation(mixed.slice(0, 2), levels);
    assert.deepEqual(inactive.ok === false && [inactive.reason, inactive.lines], [
      'product_inactive',
      [{ sku: 'C-3', requested: 1, available: 9 }],
    ]);
    assert.equal(canTakeAll([{ sku: 'B-2', quantity: 1 }], levels), true);
    assert.equal(canTakeAll([{ sku: 'B-2', quantity: 2 }], levels), false);
    assert.equal(canTakeAll([{ sku: 'Z-9', quantity: 1 }], levels), false);
  });
});

describe('low stock', () => {
  it('alerts once on the way below, re-arms at or above the threshold', () => {
    assert.equal(lowStockTransition({ available: 4, threshold: 5, alerted: false }), 'alert');
    assert.equal(lowStockTransition({ available: 3, threshold: 5, alerted: true }), 'none');
    assert.equal(lowStockTransition({ available: 5, threshold: 5, alerted: true }), 'rearm');
    assert.equal(lowStockTransition({ available: 5, threshold: 5, alerted: false }), 'none');
    assert.equal(lowStockTransition({ available: 0, threshold: 0, alerted: false }), 'none');
    assert.equal(initiallyAlerted(0, 5), true);
    assert.equal(initiallyAlerted(100, 5), false);
  });
});

describe('stock list cursor', () => {
  it('round-trips a SKU and refuses anything else', () => {
    assert.equal(decodeSkuCursor(encodeSkuCursor('AUD-001')), 'AUD-001');
    for (const bad of [
      '',
      'not base64!',
      encodeSkuCursor('aud-001'),
      encodeSkuCursor('-X'),
      'Zm9v'.repeat(40),
    ]) {
      assert.equal(decodeSkuCursor(bad), undefined, bad);
    }
  });
});
