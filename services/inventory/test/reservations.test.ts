// The checkout saga's inventory side on real Postgres, driven through the same functions the
// consumers run, each call in its own transaction on its own connection: the last unit under 20
// concurrent orders, all or nothing, one answer per order, commit, release, expiry, a
// confirmation after expiry, and the stock invariant after each.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { withTransaction } from '@shopnow/chassis';
import {
  InventoryReservationExpiredV1,
  InventoryStockRejectedV1,
  InventoryStockReservedV1,
} from '@shopnow/contracts';
import type { TestDatabase } from '@shopnow/testkit';
import pg from 'pg';
import type { InventoryContext } from '../src/context.ts';
import { cancelReservation } from '../src/reservations/cancel.ts';
import { ConfirmationRefused, confirmReservation } from '../src/reservations/confirm.ts';
import { expireDueReservations } from '../src/reservations/expire.ts';
import { reserveOrder } from '../src/reservations/reserve.ts';
import { applyMovements } from '../src/store/movements.ts';
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
  ctx = testContext(db.pool);
});
after(async () => {
  await db?.drop();
});

const place = (lines: Array<[string, number]>, orderId?: string) =>
  withTransaction(db.pool, (tx) => reserveOrder(tx, ctx, orderPlaced(lines, orderId)));
const confirm = (orderId: string) => withTransaction(db.pool, (tx) => confirmReservation(tx, ctx, orderId));
const cancel = (orderId: string, reason = 'payment_declined') =>
  withTransaction(db.pool, (tx) => cancelReservation(tx, ctx, { orderId, reason }));
const statusOf = async (orderId: string) =>
  (await db.pool.query('SELECT status FROM reservations WHERE order_id = $1', [orderId])).rows[0]?.status;
/** Moves an active reservation's expiry into the past (instead of waiting out its TTL). */
const expireNow = (orderId: string) =>
  db.pool.query(`UPDATE reservations SET expires_at = now() - interval '1 second' WHERE order_id = $1`, [
    orderId,
  ]);

describe('reservation of an order', () => {
  it('20 concurrent orders for the last unit: exactly one reserves it, 19 are rejected', async () => {
    await addSku(db.pool, 'LAST-1', 1);
    // Each order runs on its own connection, all started together.
    const pool = new pg.Pool({ connectionString: db.url, max: 20 });
    try {
      const concurrentCtx = testContext(pool);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () =>
          withTransaction(pool, (tx) => reserveOrder(tx, concurrentCtx, orderPlaced([['LAST-1', 1]]))),
        ),
      );
      const reserved = outcomes.filter((o) => o.outcome === 'reserved');
      const rejected = outcomes.filter((o) => o.outcome === 'rejected');
      assert.equal(reserved.length, 1);
      assert.equal(rejected.length, 19);
      for (const r of rejected) {
        assert.deepEqual(r.outcome === 'rejected' && r.answer.lines, [
          { sku: 'LAST-1', requested: 1, available: 0 },
        ]);
      }
    } finally {
      await pool.end();
    }
    assert.deepEqual(await countsOf(db.pool, 'LAST-1'), { available: 0, reserved: 1, sold: 0 });
    await assertInvariant(db.pool);
  });

  it('reserves every line or none: one short line leaves every SKU untouched', async () => {
    await addSku(db.pool, 'ALL-A', 10);
    await addSku(db.pool, 'ALL-B', 2);
    const orderId = randomUUID();
    const outcome = await place(
      [
        ['ALL-A', 4],
        ['ALL-B', 3],
      ],
      orderId,
    );
    assert.equal(outcome.outcome, 'rejected');
    assert.deepEqual(outcome.outcome === 'rejected' && outcome.answer, {
      orderId,
      reason: 'out_of_stock',
      lines: [{ sku: 'ALL-B', requested: 3, available: 2 }],
    });
    assert.deepEqual(await countsOf(db.pool, 'ALL-A'), { available: 10, reserved: 0, sold: 0 });
    assert.deepEqual(await countsOf(db.pool, 'ALL-B'), { available: 2, reserved: 0, sold: 0 });
    assert.deepEqual(await published(db.pool, InventoryStockRejectedV1, orderId), [outcome.answer]);
    assert.deepEqual(await published(db.pool, InventoryStockReservedV1, orderId), []);

    // Lines of one SKU count together; lower-case SKUs are the same SKU.
    const second = randomUUID();
    const ok = await place(
      [
        ['all-a', 4],
        ['ALL-B', 1],
        ['ALL-A', 2],
      ],
      second,
    );
    assert.equal(ok.outcome, 'reserved');
    assert.deepEqual(ok.outcome === 'reserved' && ok.answer.lines, [
      { sku: 'ALL-A', quantity: 6 },
      { sku: 'ALL-B', quantity: 1 },
    ]);
    assert.deepEqual(await countsOf(db.pool, 'ALL-A'), { available: 4, reserved: 6, sold: 0 });
    await assertInvariant(db.pool);
  });

  it('an unknown or inactive SKU rejects the order with its own reason', async () => {
    await addSku(db.pool, 'KNOWN-1', 5);
    await addSku(db.pool, 'RETIRED-1', 5, { active: false });
    const unknown = await place([
      ['KNOWN-1', 1],
      ['NOPE-1', 1],
    ]);
    assert.deepEqual(unknown.outcome === 'rejected' && [unknown.answer.reason, unknown.answer.lines], [
      'unknown_sku',
      [{ sku: 'NOPE-1', requested: 1, available: 0 }],
    ]);
    const inactive = await place([['RETIRED-1', 1]]);
    assert.equal(inactive.outcome === 'rejected' && inactive.answer.reason, 'product_inactive');
    assert.deepEqual(await countsOf(db.pool, 'KNOWN-1'), { available: 5, reserved: 0, sold: 0 });
  });

  it('a second order.placed.v1 for an order gets the same answer and reserves nothing more', async () => {
    await addSku(db.pool, 'AGAIN-1', 5);
    const orderId = randomUUID();
    const first = await place([['AGAIN-1', 2]], orderId);
    const second = await place([['AGAIN-1', 2]], orderId);
    assert.equal(first.outcome, 'reserved');
    assert.deepEqual(second, first);
    assert.deepEqual(await countsOf(db.pool, 'AGAIN-1'), { available: 3, reserved: 2, sold: 0 });
    const answers = await published(db.pool, InventoryStockReservedV1, orderId);
    assert.equal(answers.length, 2);
    assert.deepEqual(answers[1], answers[0]);

    // Two deliveries at once: one reserves, the other waits for it and answers the same.
    const racing = randomUUID();
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      const c = testContext(pool);
      const both = await Promise.all(
        [0, 1].map(() =>
          withTransaction(pool, (tx) => reserveOrder(tx, c, orderPlaced([['AGAIN-1', 1]], racing))),
        ),
      );
      assert.deepEqual(both[0], both[1]);
    } finally {
      await pool.end();
    }
    assert.deepEqual(await countsOf(db.pool, 'AGAIN-1'), { available: 2, reserved: 3, sold: 0 });

    // A rejected order is rejected again, with the same lines, even after a restock.
    await addSku(db.pool, 'AGAIN-2', 0);
    const rejectedId = randomUUID();
    const rejected = await place([['AGAIN-2', 1]], rejectedId);
    await withTransaction(db.pool, (tx) =>
      applyMovements(tx, [
        { sku: 'AGAIN-2', kind: 'restock', available: 5, reserved: 0, sold: 0, actor: 'test' },
      ]),
    );
    assert.deepEqual(await place([['AGAIN-2', 1]], rejectedId), rejected);
    assert.deepEqual(await countsOf(db.pool, 'AGAIN-2'), { available: 5, reserved: 0, sold: 0 });
    await assertInvariant(db.pool);
  });
});

describe('after the reservation', () => {
  it('order.confirmed.v1 sells the reserved units, once', async () => {
    await addSku(db.pool, 'SELL-1', 5);
    const orderId = randomUUID();
    await place([['SELL-1', 2]], orderId);
    assert.equal(await confirm(orderId), 'committed');
    assert.equal(await confirm(orderId), 'already_committed');
    assert.deepEqual(await countsOf(db.pool, 'SELL-1'), { available: 3, reserved: 0, sold: 2 });
    assert.equal(await statusOf(orderId), 'committed');
    await assertInvariant(db.pool);
  });

  it('order.cancelled.v1 releases an active reservation, and is a no-op after', async () => {
    await addSku(db.pool, 'FREE-1', 5);
    const orderId = randomUUID();
    await place([['FREE-1', 4]], orderId);
    assert.equal(await cancel(orderId), 'released');
    assert.equal(await cancel(orderId), 'nothing_held');
    assert.deepEqual(await countsOf(db.pool, 'FREE-1'), { available: 5, reserved: 0, sold: 0 });
    const { rows } = await db.pool.query(
      `SELECT kind, delta_available, delta_reserved, reason, actor FROM stock_movements
       WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
    assert.deepEqual(rows, [
      {
        kind: 'reservation',
        delta_available: -4,
        delta_reserved: 4,
        reason: null,
        actor: 'event:order.placed.v1',
      },
      {
        kind: 'release',
        delta_available: 4,
        delta_reserved: -4,
        reason: 'payment_declined',
        actor: 'event:order.cancelled.v1',
      },
    ]);
    await assertInvariant(db.pool);
  });

  it('a cancellation that overtakes order.placed.v1 leaves nothing reserved for the dead order', async () => {
    await addSku(db.pool, 'LATE-1', 5);
    const orderId = randomUUID();
    assert.equal(await cancel(orderId, 'customer_request'), 'tombstone');
    assert.deepEqual(await place([['LATE-1', 1]], orderId), { outcome: 'cancelled' });
    assert.deepEqual(await countsOf(db.pool, 'LATE-1'), { available: 5, reserved: 0, sold: 0 });
    // A confirmation cannot follow a cancellation at the order: one arriving is stale.
    assert.equal(await confirm(orderId), 'already_cancelled');
    assert.deepEqual(await countsOf(db.pool, 'LATE-1'), { available: 5, reserved: 0, sold: 0 });
  });

  it('the sweeper releases expired reservations once and tells the order', async () => {
    await addSku(db.pool, 'EXP-1', 3);
    const expiring = randomUUID();
    const fresh = randomUUID();
    await place([['EXP-1', 2]], expiring);
    await place([['EXP-1', 1]], fresh);
    await expireNow(expiring);
    // Two sweepers at once (two replicas): each expired reservation is released exactly once.
    const [a, b] = await Promise.all([
      expireDueReservations(db.pool, ctx),
      expireDueReservations(db.pool, ctx),
    ]);
    assert.equal((a ?? 0) + (b ?? 0), 1);
    assert.equal(await statusOf(expiring), 'expired');
    assert.equal(await statusOf(fresh), 'active');
    assert.deepEqual(await countsOf(db.pool, 'EXP-1'), { available: 2, reserved: 1, sold: 0 });
    const told = await published(db.pool, InventoryReservationExpiredV1, expiring);
    assert.equal(told.length, 1);
    assert.equal(told[0]?.orderId, expiring);
    assert.equal(await expireDueReservations(db.pool, ctx), 0);
    // The order cancels on it: nothing left to release, the reservation is marked released.
    assert.equal(await cancel(expiring, 'reservation_expired'), 'expired_released');
    assert.equal(await statusOf(expiring), 'released');
    assert.deepEqual(await countsOf(db.pool, 'EXP-1'), { available: 2, reserved: 1, sold: 0 });
    await assertInvariant(db.pool);
  });

  it('a confirmation after expiry sells from available when it can, and refuses loudly when it cannot', async () => {
    await addSku(db.pool, 'RACE-1', 2);
    const lucky = randomUUID();
    await place([['RACE-1', 1]], lucky);
    await expireNow(lucky);
    assert.equal(await expireDueReservations(db.pool, ctx), 1);
    assert.equal(await confirm(lucky), 'committed_late');
    assert.equal(await statusOf(lucky), 'committed');
    assert.deepEqual(await countsOf(db.pool, 'RACE-1'), { available: 1, reserved: 0, sold: 1 });

    const unlucky = randomUUID();
    await place([['RACE-1', 1]], unlucky);
    await expireNow(unlucky);
    await expireDueReservations(db.pool, ctx);
    await place([['RACE-1', 1]]); // someone else takes the unit meanwhile
    await assert.rejects(confirm(unlucky), ConfirmationRefused);
    assert.equal(await statusOf(unlucky), 'expired');
    assert.deepEqual(await countsOf(db.pool, 'RACE-1'), { available: 0, reserved: 1, sold: 1 });
    await assertInvariant(db.pool);
  });

  it('the database refuses a negative count whatever the code does', async () => {
    await addSku(db.pool, 'GUARD-1', 1);
    await assert.rejects(
      db.pool.query(`UPDATE stock SET available = available - 2 WHERE sku = 'GUARD-1'`),
      /stock_available_check/,
    );
  });
});
