// A confirmed order cancelled before dispatch gives its sold units back, on real Postgres through
// the functions the consumers run: exactly once (a second cancellation, or two at once, returns
// nothing more), with the reason on the ledger; an expired reservation cancelled is marked
// released; a confirmation that arrives after the cancellation sells nothing; stock_low re-arms.
// The stock invariant (sold = what committed reservations bought) after each.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { withTransaction } from '@shopnow/chassis';
import { InventoryStockLowV1 } from '@shopnow/contracts';
import type { TestDatabase } from '@shopnow/testkit';
import pg from 'pg';
import type { InventoryContext } from '../src/context.ts';
import { cancelReservation } from '../src/reservations/cancel.ts';
import { confirmReservation } from '../src/reservations/confirm.ts';
import { expireDueReservations } from '../src/reservations/expire.ts';
import { reserveOrder } from '../src/reservations/reserve.ts';
import {
  addSku,
  assertInvariant,
  countsOf,
  inventoryDatabase,
  orderPlaced,
  published,
  testContext,
} from './helpers.ts';

let db: TestDatabase;
let ctx: InventoryContext;
before(async () => {
  db = await inventoryDatabase();
  ctx = testContext(db.pool); // default low-stock threshold 5
});
after(async () => {
  await db?.drop();
});

const place = (lines: Array<[string, number]>, orderId: string = randomUUID()) =>
  withTransaction(db.pool, (tx) => reserveOrder(tx, ctx, orderPlaced(lines, orderId)));
const confirm = (orderId: string) => withTransaction(db.pool, (tx) => confirmReservation(tx, ctx, orderId));
const cancel = (orderId: string, reason = 'customer_request') =>
  withTransaction(db.pool, (tx) => cancelReservation(tx, ctx, { orderId, reason }));
const reservationOf = async (orderId: string) =>
  (await db.pool.query('SELECT status, reason FROM reservations WHERE order_id = $1', [orderId])).rows[0];
const movementsOf = async (orderId: string) =>
  (
    await db.pool.query(
      `SELECT sku, kind, delta_available, delta_reserved, delta_sold, reason, actor FROM stock_movements
       WHERE order_id = $1 ORDER BY id`,
      [orderId],
    )
  ).rows;
/** A placed and confirmed order of `lines`; resolves to its id. */
const bought = async (lines: Array<[string, number]>) => {
  const orderId = randomUUID();
  assert.equal((await place(lines, orderId)).outcome, 'reserved');
  assert.equal(await confirm(orderId), 'committed');
  return orderId;
};

describe('a confirmed order cancelled before dispatch', () => {
  it('returns its sold units to available once, with a return movement per line and the reason', async () => {
    await addSku(db.pool, 'RET-A', 10);
    await addSku(db.pool, 'RET-B', 4);
    const kept = await bought([['RET-A', 1]]);
    const orderId = await bought([
      ['RET-A', 3],
      ['RET-B', 2],
    ]);
    assert.deepEqual(await countsOf(db.pool, 'RET-A'), { available: 6, reserved: 0, sold: 4 });

    assert.equal(await cancel(orderId, 'customer_request'), 'returned');
    assert.deepEqual(await countsOf(db.pool, 'RET-A'), { available: 9, reserved: 0, sold: 1 });
    assert.deepEqual(await countsOf(db.pool, 'RET-B'), { available: 4, reserved: 0, sold: 0 });
    assert.deepEqual(await reservationOf(orderId), { status: 'returned', reason: 'customer_request' });
    const returns = (await movementsOf(orderId)).filter((m) => m.kind === 'return');
    assert.deepEqual(returns, [
      {
        sku: 'RET-A',
        kind: 'return',
        delta_available: 3,
        delta_reserved: 0,
        delta_sold: -3,
        reason: 'customer_request',
        actor: 'event:order.cancelled.v1',
      },
      {
        sku: 'RET-B',
        kind: 'return',
        delta_available: 2,
        delta_reserved: 0,
        delta_sold: -2,
        reason: 'customer_request',
        actor: 'event:order.cancelled.v1',
      },
    ]);
    await assertInvariant(db.pool);

    // The cancellation again (another event id, so the inbox let it through): nothing more.
    assert.equal(await cancel(orderId, 'customer_request'), 'nothing_held');
    assert.deepEqual(await countsOf(db.pool, 'RET-A'), { available: 9, reserved: 0, sold: 1 });
    assert.equal((await movementsOf(orderId)).filter((m) => m.kind === 'return').length, 2);
    // The order that stayed paid keeps its unit sold.
    assert.deepEqual(await reservationOf(kept), { status: 'committed', reason: null });
    await assertInvariant(db.pool);
  });

  it('two cancellations delivered at once return the units exactly once', async () => {
    await addSku(db.pool, 'RET-RACE', 5);
    const orderId = await bought([['RET-RACE', 2]]);
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      const c = testContext(pool);
      const outcomes = await Promise.all(
        [0, 1].map(() =>
          withTransaction(pool, (tx) => cancelReservation(tx, c, { orderId, reason: 'customer_request' })),
        ),
      );
      assert.deepEqual(outcomes.sort(), ['nothing_held', 'returned']);
    } finally {
      await pool.end();
    }
    assert.deepEqual(await countsOf(db.pool, 'RET-RACE'), { available: 5, reserved: 0, sold: 0 });
    await assertInvariant(db.pool);
  });

  it('a confirmation delivered after the return sells nothing again', async () => {
    await addSku(db.pool, 'RET-CONF', 5);
    const orderId = await bought([['RET-CONF', 2]]);
    assert.equal(await cancel(orderId), 'returned');
    assert.equal(await confirm(orderId), 'already_cancelled');
    assert.deepEqual(await countsOf(db.pool, 'RET-CONF'), { available: 5, reserved: 0, sold: 0 });
    assert.equal((await reservationOf(orderId)).status, 'returned');
    await assertInvariant(db.pool);
  });

  it('a confirmation that arrives after its cancellation (delivered out of order) sells nothing', async () => {
    await addSku(db.pool, 'RET-ORDER', 5);
    const orderId = randomUUID();
    await place([['RET-ORDER', 2]], orderId);
    assert.equal(await cancel(orderId), 'released');
    assert.equal(await confirm(orderId), 'already_cancelled');
    assert.deepEqual(await countsOf(db.pool, 'RET-ORDER'), { available: 5, reserved: 0, sold: 0 });
    await assertInvariant(db.pool);
  });

  it('a late confirmation (after expiry) then a cancellation returns what was sold from available', async () => {
    await addSku(db.pool, 'RET-LATE', 5);
    const orderId = randomUUID();
    await place([['RET-LATE', 2]], orderId);
    await db.pool.query(
      `UPDATE reservations SET expires_at = now() - interval '1 second' WHERE order_id = $1`,
      [orderId],
    );
    assert.equal(await expireDueReservations(db.pool, ctx), 1);
    assert.equal(await confirm(orderId), 'committed_late');
    assert.deepEqual(await countsOf(db.pool, 'RET-LATE'), { available: 3, reserved: 0, sold: 2 });
    assert.equal(await cancel(orderId), 'returned');
    assert.deepEqual(await countsOf(db.pool, 'RET-LATE'), { available: 5, reserved: 0, sold: 0 });
    await assertInvariant(db.pool);
  });

  it('re-arms stock_low when the return lifts available back to the threshold', async () => {
    await addSku(db.pool, 'RET-LOW', 6);
    const orderId = await bought([['RET-LOW', 3]]);
    assert.equal((await published(db.pool, InventoryStockLowV1, 'RET-LOW')).length, 1);
    assert.equal(await cancel(orderId), 'returned');
    const flag = async () =>
      (await db.pool.query(`SELECT low_alerted FROM stock WHERE sku = 'RET-LOW'`)).rows[0].low_alerted;
    assert.equal(await flag(), false);
    // So the next fall is announced again.
    await bought([['RET-LOW', 2]]);
    assert.equal((await published(db.pool, InventoryStockLowV1, 'RET-LOW')).length, 2);
    await assertInvariant(db.pool);
  });
});

describe('an expired reservation cancelled', () => {
  it('is marked released (its units went back already) and a later confirmation sells nothing', async () => {
    await addSku(db.pool, 'EXP-CAN', 5);
    const orderId = randomUUID();
    await place([['EXP-CAN', 3]], orderId);
    await db.pool.query(
      `UPDATE reservations SET expires_at = now() - interval '1 second' WHERE order_id = $1`,
      [orderId],
    );
    assert.equal(await expireDueReservations(db.pool, ctx), 1);
    assert.deepEqual(await countsOf(db.pool, 'EXP-CAN'), { available: 5, reserved: 0, sold: 0 });

    assert.equal(await cancel(orderId, 'reservation_expired'), 'expired_released');
    assert.deepEqual(await reservationOf(orderId), { status: 'released', reason: 'reservation_expired' });
    assert.deepEqual(await countsOf(db.pool, 'EXP-CAN'), { available: 5, reserved: 0, sold: 0 });
    assert.deepEqual(
      (await movementsOf(orderId)).map((m) => m.kind),
      ['reservation', 'expiry'],
      'no movement: nothing was held',
    );
    assert.equal(await cancel(orderId, 'reservation_expired'), 'nothing_held');
    assert.equal(await confirm(orderId), 'already_cancelled');
    assert.deepEqual(await countsOf(db.pool, 'EXP-CAN'), { available: 5, reserved: 0, sold: 0 });
    await assertInvariant(db.pool);
  });
});

describe('the ledger', () => {
  it('refuses a return that is not sold → available for an order', async () => {
    await addSku(db.pool, 'RET-CHECK', 5);
    const insert = (da: number, dr: number, ds: number, orderId: string | null) =>
      db.pool.query(
        `INSERT INTO stock_movements (sku, kind, delta_available, delta_reserved, delta_sold, order_id, actor)
         VALUES ('RET-CHECK', 'return', $1, $2, $3, $4, 'test')`,
        [da, dr, ds, orderId],
      );
    await assert.rejects(insert(2, -2, 0, randomUUID()), /stock_movements_check/);
    await assert.rejects(insert(-2, 0, 2, randomUUID()), /stock_movements_check/);
    await assert.rejects(insert(2, 0, -2, null), /stock_movements_check/);
  });
});
