// inventory.stock_low.v1 once per crossing, on real Postgres: a sale that takes available below
// the threshold announces it; further sales below it do not; back above it re-arms; a SKU's own
// threshold overrides the default; a SKU created with no stock has not "dropped" below anything.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { withTransaction } from '@shopnow/chassis';
import { InventoryStockLowV1 } from '@shopnow/contracts';
import type { TestDatabase } from '@shopnow/testkit';
import type { InventoryContext } from '../src/context.ts';
import { cancelReservation } from '../src/reservations/cancel.ts';
import { reserveOrder } from '../src/reservations/reserve.ts';
import { announceStockLevels } from '../src/stock/stock-levels.ts';
import { setThreshold } from '../src/store/stock.ts';
import {
  addSku,
  assertInvariant,
  inventoryDatabase,
  orderPlaced,
  published,
  restock as restockSku,
  sell,
  testContext,
} from './helpers.ts';

let db: TestDatabase;
let ctx: InventoryContext;
before(async () => {
  db = await inventoryDatabase();
  ctx = testContext(db.pool); // default threshold 5
});
after(async () => {
  await db?.drop();
});

const buy = (sku: string, quantity: number) => sell(db.pool, ctx, sku, quantity);
const restock = (sku: string, units: number) => restockSku(db.pool, ctx, sku, units);
const alerts = (sku: string) => published(db.pool, InventoryStockLowV1, sku);

describe('stock_low', () => {
  it('is sent when available falls below the threshold, not again on every sale below it', async () => {
    const productId = await addSku(db.pool, 'LOW-1', 8);
    await buy('LOW-1', 3); // 5 left: at the threshold, not below
    assert.deepEqual(await alerts('LOW-1'), []);
    await buy('LOW-1', 1); // 4: below
    assert.deepEqual(await alerts('LOW-1'), [{ sku: 'LOW-1', productId, available: 4, threshold: 5 }]);
    await buy('LOW-1', 1);
    await buy('LOW-1', 2);
    assert.equal((await alerts('LOW-1')).length, 1, 'once per crossing');

    // Back above re-arms; the next fall below is a new crossing.
    await restock('LOW-1', 10); // 11
    assert.equal((await alerts('LOW-1')).length, 1);
    await buy('LOW-1', 7); // 4
    assert.deepEqual((await alerts('LOW-1')).at(-1), { sku: 'LOW-1', productId, available: 4, threshold: 5 });
    assert.equal((await alerts('LOW-1')).length, 2);
    await assertInvariant(db.pool);
  });

  it('counts a reservation (the units are no longer available) and re-arms on its release', async () => {
    await addSku(db.pool, 'LOW-2', 6);
    const order = orderPlaced([['LOW-2', 3]]);
    await withTransaction(db.pool, (tx) => reserveOrder(tx, ctx, order));
    assert.equal((await alerts('LOW-2')).length, 1);
    await withTransaction(db.pool, (tx) =>
      cancelReservation(tx, ctx, { orderId: order.orderId, reason: 'payment_declined' }),
    );
    const { rows } = await db.pool.query(`SELECT low_alerted FROM stock WHERE sku = 'LOW-2'`);
    assert.equal(rows[0].low_alerted, false);
  });

  it("a SKU's own threshold overrides the default", async () => {
    await addSku(db.pool, 'LOW-3', 30);
    await withTransaction(db.pool, async (tx) => {
      const row = await setThreshold(tx, 'LOW-3', 25);
      assert.ok(row);
      await announceStockLevels(tx, ctx, [row]);
    });
    assert.deepEqual(await alerts('LOW-3'), []);
    await buy('LOW-3', 6); // 24 < 25
    assert.deepEqual(
      (await alerts('LOW-3')).map((a) => [a.available, a.threshold]),
      [[24, 25]],
    );
  });

  it('a new SKU with no stock yet is not announced as having dropped', async () => {
    await addSku(db.pool, 'LOW-4', 0, { productId: randomUUID() });
    assert.deepEqual(await alerts('LOW-4'), []);
    await restock('LOW-4', 6);
    await buy('LOW-4', 2);
    assert.equal((await alerts('LOW-4')).length, 1);
  });
});
