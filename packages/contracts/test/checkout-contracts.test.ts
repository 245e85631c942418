// The checkout contracts (order and inventory events): each accepts a well-formed example and
// refuses, naming the field, what a producer could get wrong: bad money, empty or oversized
// orders, quantities out of range, unknown fields, reasons outside the list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InventoryReservationExpiredV1,
  InventoryStockLowV1,
  InventoryStockRejectedV1,
  InventoryStockReservedV1,
  MAX_ORDER_LINES,
  MoneySchema,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  ProductCreatedV1,
} from '../src/index.ts';

const ORDER = '6f1c1f5e-3c1b-4d7e-9a55-0d7b1f2a9c10';
const USER = '0b6f1d7e-8c1a-4f63-9c35-3c2e3f5b9a10';
const PRODUCT = '044cc1bd-fe15-455b-adf8-665060f4104d';
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const line = (overrides: Record<string, unknown> = {}) => ({
  productId: PRODUCT,
  sku: 'AUD-001',
  name: 'Wireless Headphones',
  quantity: 2,
  unitPrice: usd(12999),
  ...overrides,
});
const placed = (overrides: Record<string, unknown> = {}) => ({
  orderId: ORDER,
  userId: USER,
  lines: [line()],
  subtotal: usd(25998),
  shipping: usd(0),
  tax: usd(2080),
  total: usd(28078),
  placedAt: '2026-11-22T08:00:00.000Z',
  ...overrides,
});
const address = {
  recipientName: 'Ada Lovelace',
  line1: '10 Downing Street',
  line2: null,
  city: 'London',
  region: null,
  postalCode: 'SW1A 2AA',
  country: 'GB',
  phone: null,
};

const fields = (problems: string[]) => problems.map((p) => p.slice(0, p.indexOf(':')));

describe('order events', () => {
  it('order.placed.v1 takes a priced order and refuses bad lines and money', () => {
    assert.deepEqual(OrderPlacedV1.problems(placed()), []);
    assert.ok(fields(OrderPlacedV1.problems(placed({ lines: [] }))).includes('/lines'));
    const tooMany = Array.from({ length: MAX_ORDER_LINES + 1 }, () => line());
    assert.ok(fields(OrderPlacedV1.problems(placed({ lines: tooMany }))).includes('/lines'));
    for (const quantity of [0, -1, 1001, 1.5]) {
      const problems = OrderPlacedV1.problems(placed({ lines: [line({ quantity })] }));
      assert.ok(fields(problems).includes('/lines/0/quantity'), `quantity ${quantity}: ${problems}`);
    }
    const badMoney = OrderPlacedV1.problems(placed({ total: { amountMinor: -1, currency: 'usd' } }));
    assert.ok(fields(badMoney).includes('/total/amountMinor'), badMoney.join('; '));
    assert.ok(fields(badMoney).includes('/total/currency'), badMoney.join('; '));
    assert.ok(OrderPlacedV1.problems(placed({ lines: [line({ productId: 'nope' })] })).length > 0);
    assert.ok(OrderPlacedV1.problems(placed({ extra: true })).length > 0);
    assert.ok(OrderPlacedV1.problems(placed({ lines: [line({ discount: 1 })] })).length > 0);
  });

  it('order.confirmed.v1 carries the address (nullable fields given) and the cart', () => {
    const { placedAt: _placedAt, ...order } = placed();
    const confirmed = {
      ...order,
      shippingAddress: address,
      confirmedAt: '2026-11-22T08:00:02.000Z',
      cartId: null,
    };
    assert.deepEqual(OrderConfirmedV1.problems(confirmed), []);
    assert.deepEqual(OrderConfirmedV1.problems({ ...confirmed, cartId: 'c-1' }), []);
    const { line2: _omitted, ...withoutLine2 } = address;
    assert.ok(OrderConfirmedV1.problems({ ...confirmed, shippingAddress: withoutLine2 }).length > 0);
    assert.ok(
      OrderConfirmedV1.problems({ ...confirmed, shippingAddress: { ...address, country: 'gbr' } }).length > 0,
    );
    assert.ok(
      OrderConfirmedV1.problems({ ...confirmed, shippingAddress: { ...address, label: 'Home' } }).length > 0,
    );
  });

  it('order.cancelled.v1 takes any stable reason code, not free text', () => {
    const cancelled = {
      orderId: ORDER,
      userId: USER,
      reason: 'payment_declined',
      refunded: false,
      cancelledAt: '2026-11-22T08:00:02.000Z',
    };
    assert.deepEqual(OrderCancelledV1.problems(cancelled), []);
    assert.deepEqual(OrderCancelledV1.problems({ ...cancelled, reason: 'fraud_suspected' }), []);
    assert.ok(OrderCancelledV1.problems({ ...cancelled, reason: 'Card was declined!' }).length > 0);
    assert.ok(OrderCancelledV1.problems({ ...cancelled, refunded: 'no' }).length > 0);
  });
});

describe('inventory events', () => {
  it('stock_reserved.v1: lines of SKU and quantity, the reservation id optional', () => {
    const reserved = {
      orderId: ORDER,
      lines: [{ sku: 'AUD-001', quantity: 2 }],
      expiresAt: '2026-11-22T08:15:00.000Z',
    };
    assert.deepEqual(InventoryStockReservedV1.problems(reserved), []);
    assert.deepEqual(InventoryStockReservedV1.problems({ ...reserved, reservationId: PRODUCT }), []);
    assert.ok(InventoryStockReservedV1.problems({ ...reserved, lines: [] }).length > 0);
    assert.ok(
      InventoryStockReservedV1.problems({ ...reserved, lines: [{ sku: 'AUD-001', quantity: 0 }] }).length > 0,
    );
  });

  it('stock_rejected.v1: a reason from the list and the lines that could not be served', () => {
    const rejected = {
      orderId: ORDER,
      reason: 'out_of_stock',
      lines: [{ sku: 'AUD-001', requested: 3, available: 1 }],
    };
    assert.deepEqual(InventoryStockRejectedV1.problems(rejected), []);
    assert.deepEqual(InventoryStockRejectedV1.problems({ ...rejected, reason: 'unknown_sku' }), []);
    assert.ok(
      fields(InventoryStockRejectedV1.problems({ ...rejected, reason: 'sold_out' })).includes('/reason'),
    );
    assert.ok(
      InventoryStockRejectedV1.problems({
        ...rejected,
        lines: [{ sku: 'AUD-001', requested: 3, available: -1 }],
      }).length > 0,
    );
  });

  it('reservation_expired.v1 and stock_low.v1', () => {
    assert.deepEqual(
      InventoryReservationExpiredV1.problems({ orderId: ORDER, expiredAt: '2026-11-22T08:15:00.000Z' }),
      [],
    );
    assert.ok(InventoryReservationExpiredV1.problems({ orderId: ORDER }).length > 0);
    const low = { sku: 'AUD-001', productId: PRODUCT, available: 4, threshold: 5 };
    assert.deepEqual(InventoryStockLowV1.problems(low), []);
    assert.ok(InventoryStockLowV1.problems({ ...low, productId: 'AUD-001' }).length > 0);
  });
});

describe('money', () => {
  it('is one schema, the one product events use', () => {
    assert.equal(ProductCreatedV1.schema.properties.price, MoneySchema);
  });
});
