// inventory.back_in_stock.v1 once per return, on real Postgres: a SKU sold out (available 0) that
// gets units again, by a restock or a released reservation, announces it once; a SKU never sold
// out, or whose product is off sale, does not.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withTransaction } from '@shopnow/chassis';
import { InventoryBackInStockV1 } from '@shopnow/contracts';
import type { TestDatabase } from '@shopnow/testkit';
import type { InventoryContext } from '../src/context.ts';
import { cancelReservation } from '../src/reservations/cancel.ts';
import { reserveOrder } from '../src/reservations/reserve.ts';
import { followCatalog } from '../src/stock/catalog-stock.ts';
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
  ctx = testContext(db.pool);
});
after(async () => {
  await db?.drop();
});

const buy = (sku: string, quantity: number) => sell(db.pool, ctx, sku, quantity);
const restock = (sku: string, units: number) => restockSku(db.pool, ctx, sku, units);
const announced = (sku: string) => published(db.pool, InventoryBackInStockV1, sku);

describe('back_in_stock', () => {
  it('is sent once when a sold-out SKU is restocked, not on later restocks', async () => {
    const productId = await addSku(db.pool, 'BACK-1', 3);
    await restock('BACK-1', 2); // never sold out: nothing to announce
    assert.deepEqual(await announced('BACK-1'), []);
    await buy('BACK-1', 5); // 0 left
    assert.deepEqual(await announced('BACK-1'), []);
    await restock('BACK-1', 4);
    assert.deepEqual(await announced('BACK-1'), [{ sku: 'BACK-1', productId, available: 4 }]);
    await restock('BACK-1', 4);
    assert.equal((await announced('BACK-1')).length, 1, 'once per return');
    await buy('BACK-1', 8);
    await restock('BACK-1', 1);
    assert.equal((await announced('BACK-1')).length, 2, 'sold out again, back again');
    await assertInvariant(db.pool);
  });

  it('is sent when a released reservation gives the last units back', async () => {
    await addSku(db.pool, 'BACK-2', 2);
    const order = orderPlaced([['BACK-2', 2]]);
    await withTransaction(db.pool, (tx) => reserveOrder(tx, ctx, order));
    await withTransaction(db.pool, (tx) =>
      cancelReservation(tx, ctx, { orderId: order.orderId, reason: 'payment_declined' }),
    );
    assert.deepEqual(
      (await announced('BACK-2')).map((e) => e.available),
      [2],
    );
  });

  it('a SKU created without stock is announced when it is first stocked', async () => {
    await addSku(db.pool, 'BACK-3', 0);
    await restock('BACK-3', 10);
    assert.deepEqual(
      (await announced('BACK-3')).map((e) => e.available),
      [10],
    );
  });

  it('a product off sale is not announced, however much stock comes in, until it is on sale again', async () => {
    const productId = await addSku(db.pool, 'BACK-4', 0, { active: false });
    await restock('BACK-4', 10);
    assert.deepEqual(await announced('BACK-4'), []);
    const follow = (active: boolean) =>
      withTransaction(db.pool, (tx) => followCatalog(tx, ctx, { productId, sku: 'BACK-4', active }, 'test'));
    await follow(false); // unchanged: nothing
    assert.deepEqual(await announced('BACK-4'), []);
    await follow(true);
    assert.deepEqual(await announced('BACK-4'), [{ sku: 'BACK-4', productId, available: 10 }]);
    await follow(false);
    await follow(true);
    assert.equal((await announced('BACK-4')).length, 1, 'once per return, not per catalog change');
  });
});
