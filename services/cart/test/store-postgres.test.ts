// The cart store contract against the real (embedded) Postgres, plus what only the database adds:
// the line limit holds even for SQL that bypasses the store.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { PostgresCartStore } from '../src/store/postgres-cart-store.ts';
import { cartDatabase } from './helpers.ts';
import { storeContract } from './store-contract.ts';

storeContract('Postgres', async () => {
  const db = await cartDatabase();
  return { store: new PostgresCartStore(db.pool), close: () => db.drop() };
});

it('the database refuses a 101st line of a cart, whatever inserts it', async () => {
  const db = await cartDatabase();
  try {
    const cartId = randomUUID();
    await db.pool.query(
      `INSERT INTO carts (id, user_id, created_at, updated_at, active_at) VALUES ($1, $2, 0, 0, 0)`,
      [cartId, randomUUID()],
    );
    const insertLines = (n: number) =>
      db.pool.query(
        `INSERT INTO cart_lines (cart_id, product_id, sku, name, quantity, unit_price_minor, currency, price_as_of, added_at)
         SELECT $1, gen_random_uuid(), 'SKU-1', 'x', 1, 100, 'USD', 0, 0 FROM generate_series(1, $2)`,
        [cartId, n],
      );
    await insertLines(100);
    await assert.rejects(insertLines(1), /at most 100 lines/);
    await assert.rejects(insertLines(10_000), /at most 100 lines/);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM cart_lines');
    assert.equal(rows[0].n, 100);
  } finally {
    await db.drop();
  }
});
