// The pure rules: the shipment state machine, carrier and service level, business days, tracking
// numbers, step locations and cursors.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeShipmentCursor, encodeShipmentCursor } from '../src/domain/cursor.ts';
import { decide, isFinal, SHIPMENT_STATUSES, type ShipmentStatus } from '../src/domain/shipment-status.ts';
import { addBusinessDays, planShipment } from '../src/domain/shipping-rules.ts';
import { stepLocation } from '../src/domain/step-location.ts';
import {
  normalizeTrackingNumber,
  TRACKING_LENGTH,
  TRACKING_PATTERN,
  trackingNumber,
} from '../src/domain/tracking-number.ts';

describe('shipment state machine', () => {
  it('advances scheduled → picked_up → in_transit → out_for_delivery → delivered, then no further', () => {
    const path: ShipmentStatus[] = ['scheduled', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered'];
    for (let i = 0; i < path.length - 1; i++) {
      assert.deepEqual(decide(path[i] as ShipmentStatus, { kind: 'advance' }), {
        ok: true,
        from: path[i],
        to: path[i + 1],
        reason: null,
      });
    }
    for (const final of ['delivered', 'exception', 'cancelled'] as const) {
      assert.ok(isFinal(final));
      const refused = decide(final, { kind: 'advance' });
      assert.equal(refused.ok, false);
      assert.match(refused.ok ? '' : refused.why, new RegExp(final));
    }
  });

  it('an exception from any step not final, with its reason; never after the end', () => {
    for (const status of SHIPMENT_STATUSES) {
      const decision = decide(status, { kind: 'exception', reason: 'damaged' });
      assert.equal(decision.ok, !isFinal(status), status);
      if (decision.ok) assert.deepEqual([decision.to, decision.reason], ['exception', 'damaged']);
    }
  });

  it("the order's cancellation stops a shipment before dispatch only", () => {
    const cancellable = SHIPMENT_STATUSES.filter(
      (s) => decide(s, { kind: 'order_cancelled', reason: 'x' }).ok,
    );
    assert.deepEqual(cancellable, ['scheduled', 'picked_up']);
    const late = decide('in_transit', { kind: 'order_cancelled', reason: 'customer_request' });
    assert.deepEqual(late, { ok: false, from: 'in_transit', why: 'a shipment in transit cannot be stopped' });
  });
});

describe('shipping rules', () => {
  const rules = { originCountry: 'NL', expressThresholdMinor: 10_000 };

  it('carrier by destination country, express from the threshold on, transit days by both', () => {
    assert.deepEqual(planShipment(rules, { country: 'NL', totalMinor: 9_999 }), {
      carrier: 'parcelpost',
      serviceLevel: 'standard',
      businessDays: 3,
    });
    assert.deepEqual(planShipment(rules, { country: 'NL', totalMinor: 10_000 }), {
      carrier: 'parcelpost',
      serviceLevel: 'express',
      businessDays: 1,
    });
    assert.deepEqual(planShipment(rules, { country: 'FR', totalMinor: 500 }), {
      carrier: 'swiftair',
      serviceLevel: 'standard',
      businessDays: 6,
    });
    assert.deepEqual(planShipment(rules, { country: 'US', totalMinor: 50_000 }), {
      carrier: 'swiftair',
      serviceLevel: 'express',
      businessDays: 3,
    });
  });

  it('counts business days, skipping Saturdays and Sundays', () => {
    // 2026-11-26 is a Thursday.
    assert.equal(addBusinessDays(new Date('2026-11-26T22:00:00Z'), 1), '2026-11-27');
    assert.equal(addBusinessDays(new Date('2026-11-26T10:00:00Z'), 2), '2026-11-30');
    assert.equal(addBusinessDays(new Date('2026-11-28T10:00:00Z'), 1), '2026-11-30'); // from a Saturday
    assert.equal(addBusinessDays(new Date('2026-11-27T10:00:00Z'), 6), '2026-12-07');
    assert.equal(addBusinessDays(new Date('2026-12-30T10:00:00Z'), 3), '2027-01-04');
  });
});

describe('tracking numbers', () => {
  it('are SN and 14 unambiguous characters, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = trackingNumber(randomBytes(14));
      assert.match(n, new RegExp(TRACKING_PATTERN));
      assert.equal(n.length, TRACKING_LENGTH);
      seen.add(n);
    }
    assert.equal(seen.size, 200);
    assert.equal(trackingNumber(new Uint8Array(14)), 'SN00000000000000');
    assert.throws(() => trackingNumber(new Uint8Array(4)), /14 random bytes/);
  });

  it('are read as a person types them', () => {
    assert.equal(normalizeTrackingNumber(' sn12-34ab cd56 '), 'SN1234ABCD56');
  });
});

describe('step locations', () => {
  const origin = { city: 'Rotterdam', country: 'NL' };
  const destination = { city: 'Lyon', country: 'FR' };
  it('warehouse until dispatched, destination from out for delivery, none for ends without a place', () => {
    assert.deepEqual(
      SHIPMENT_STATUSES.map((s) => stepLocation(s, origin, destination)?.city ?? null),
      ['Rotterdam', 'Rotterdam', 'Rotterdam', 'Lyon', 'Lyon', null, null],
    );
  });
});

describe('cursors', () => {
  it('round-trip, and anything else is refused', () => {
    const key = {
      createdAt: new Date('2026-11-22T08:00:00.123Z'),
      id: '6f1c1f5e-3c1b-4d7e-9a55-0d7b1f2a9c10',
    };
    assert.deepEqual(decodeShipmentCursor(encodeShipmentCursor(key)), key);
    for (const bad of ['', 'x', Buffer.from('2026|nope').toString('base64url'), '!!!'])
      assert.equal(decodeShipmentCursor(bad), undefined, bad);
  });
});
