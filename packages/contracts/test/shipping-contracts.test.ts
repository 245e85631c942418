// The shipping contracts: each accepts a well-formed example and refuses, naming the field, what a
// producer could get wrong, above all personal data beyond city and country.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  platformEvents,
  SHIPMENT_EXCEPTION_REASONS,
  ShipmentCancelledV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentExceptionV1,
  ShipmentOutForDeliveryV1,
  ShipmentPickedUpV1,
  ShipmentScheduledV1,
  shippingEvents,
} from '../src/index.ts';

const shipment = {
  shipmentId: '3d1c4f5e-3c1b-4d7e-9a55-0d7b1f2a9c10',
  orderId: '6f1c1f5e-3c1b-4d7e-9a55-0d7b1f2a9c10',
  userId: '0b6f1d7e-8c1a-4f63-9c35-3c2e3f5b9a10',
  trackingNumber: 'SN7K2Q9XW4M8PD3A',
};
const AT = '2026-11-22T08:00:00.000Z';
const lyon = { city: 'Lyon', country: 'FR' };
const fields = (problems: string[]) => problems.map((p) => p.slice(0, p.indexOf(':')));

describe('shipping.shipment_scheduled.v1', () => {
  const scheduled = {
    ...shipment,
    carrier: 'parcelpost',
    serviceLevel: 'standard',
    estimatedDelivery: '2026-11-27',
    destination: lyon,
    scheduledAt: AT,
  };

  it('takes carrier, service level, tracking number, expected day and a city-level destination', () => {
    assert.deepEqual(ShipmentScheduledV1.problems(scheduled), []);
    assert.equal(platformEvents().get('shipping.shipment_scheduled.v1'), ShipmentScheduledV1);
  });

  it('refuses a street or a name in the destination, naming the field', () => {
    const problems = ShipmentScheduledV1.problems({
      ...scheduled,
      destination: { ...lyon, line1: '1 rue de la Paix', recipientName: 'Ada' },
    });
    assert.ok(fields(problems).includes('/destination'), problems.join('; '));
    assert.ok(ShipmentScheduledV1.problems({ ...scheduled, shippingAddress: lyon }).length > 0);
  });

  it('refuses a bad date, tracking number, carrier code or country', () => {
    for (const [field, value] of [
      ['estimatedDelivery', '2026-11-27T00:00:00Z'],
      ['estimatedDelivery', '27/11/2026'],
      ['trackingNumber', 'sn-123'],
      ['trackingNumber', 'SN1'],
      ['carrier', 'Parcel Post'],
      ['serviceLevel', ''],
    ] as const) {
      const problems = ShipmentScheduledV1.problems({ ...scheduled, [field]: value });
      assert.ok(fields(problems).includes(`/${field}`), `${field}=${value}: ${problems.join('; ')}`);
    }
    const badCountry = ShipmentScheduledV1.problems({
      ...scheduled,
      destination: { city: 'Lyon', country: 'fr' },
    });
    assert.ok(fields(badCountry).includes('/destination/country'), badCountry.join('; '));
  });
});

describe('shipment step events', () => {
  const steps = [
    [ShipmentPickedUpV1, 'pickedUpAt'],
    [ShipmentDispatchedV1, 'dispatchedAt'],
    [ShipmentOutForDeliveryV1, 'outForDeliveryAt'],
    [ShipmentDeliveredV1, 'deliveredAt'],
  ] as const;

  it('each names the shipment, its order, the city it happened in and when', () => {
    for (const [contract, at] of steps) {
      const data = { ...shipment, location: lyon, [at]: AT };
      assert.deepEqual(contract.problems(data), [], contract.type);
      assert.ok(contract.problems({ ...data, [at]: 'yesterday' }).length > 0, contract.type);
      assert.ok(contract.problems({ ...data, location: null }).length > 0, contract.type);
      assert.ok(contract.problems({ ...data, postalCode: '69001' }).length > 0, contract.type);
      const { orderId: _o, ...withoutOrder } = data;
      assert.ok(contract.problems(withoutOrder).length > 0, contract.type);
    }
  });

  it('an exception carries a stable reason and the status it interrupted', () => {
    const exception = {
      ...shipment,
      reason: 'damaged',
      previousStatus: 'in_transit',
      location: null,
      exceptionAt: AT,
    };
    for (const reason of SHIPMENT_EXCEPTION_REASONS)
      assert.deepEqual(ShipmentExceptionV1.problems({ ...exception, reason }), []);
    assert.deepEqual(ShipmentExceptionV1.problems({ ...exception, location: lyon }), []);
    assert.ok(
      fields(ShipmentExceptionV1.problems({ ...exception, reason: 'Box fell!' })).includes('/reason'),
    );
  });

  it('a cancellation carries the order cancellation reason', () => {
    const cancelled = { ...shipment, reason: 'customer_request', cancelledAt: AT };
    assert.deepEqual(ShipmentCancelledV1.problems(cancelled), []);
    assert.ok(fields(ShipmentCancelledV1.problems({ ...cancelled, reason: '' })).includes('/reason'));
  });

  it('every shipping event is in the platform catalog under the shipping domain', () => {
    const catalog = platformEvents();
    for (const contract of shippingEvents) {
      assert.equal(catalog.get(contract.type), contract);
      assert.match(contract.type, /^shipping\.shipment_[a-z_]+\.v1$/);
    }
  });
});
