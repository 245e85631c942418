// The default store: a carts row and its cart_lines rows, each change in one transaction that
// locks the cart row first (SELECT … FOR UPDATE), so concurrent changes apply one after another.
import { withTransaction } from '@shopnow/chassis';
import type pg from 'pg';
import type { AppliedKey } from '../domain/applied-keys.ts';
import type { Cart, CartLine } from '../domain/cart.ts';
import { MAX_CART_LINES } from '../domain/limits.ts';
import { assertStorable, type CartChange, type CartStore } from './cart-store.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

// One round trip per cart: the row and its lines as JSON, in the order they were added.
const SELECT_CART = `
  SELECT c.id, c.user_id, c.token_hash, c.version, c.created_at, c.updated_at, c.active_at, c.applied_keys,
    coalesce((SELECT json_agg(json_build_object(
        'productId', l.product_id, 'sku', l.sku, 'name', l.name, 'quantity', l.quantity,
        'unitPriceMinor', l.unit_price_minor, 'currency', l.currency,
        'changedFromMinor', l.changed_from_minor, 'changedFromCurrency', l.changed_from_currency,
        'priceAsOf', l.price_as_of, 'addedAt', l.added_at) ORDER BY l.added_at, l.product_id)
      FROM cart_lines l WHERE l.cart_id = c.id), '[]') AS lines
  FROM carts c`;

interface CartRow {
  id: string;
  user_id: string | null;
  token_hash: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  active_at: string;
  applied_keys: AppliedKey[];
  lines: Array<{
    productId: string;
    sku: string;
    name: string;
    quantity: number;
    unitPriceMinor: number;
    currency: string;
    changedFromMinor: number | null;
    changedFromCurrency: string | null;
    priceAsOf: number;
    addedAt: number;
  }>;
}

function toCart(row: CartRow): Cart {
  return {
    id: row.id,
    userId: row.user_id,
    tokenHash: row.token_hash,
    version: row.version,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    activeAt: Number(row.active_at),
    appliedKeys: row.applied_keys,
    lines: row.lines.map(
      (line): CartLine => ({
        productId: line.productId,
        sku: line.sku,
        name: line.name,
        quantity: line.quantity,
        unitPrice: { amountMinor: Number(line.unitPriceMinor), currency: line.currency },
        priceChangedFrom:
          line.changedFromMinor === null || line.changedFromCurrency === null
            ? null
            : { amountMinor: Number(line.changedFromMinor), currency: line.changedFromCurrency },
        priceAsOf: Number(line.priceAsOf),
        addedAt: Number(line.addedAt),
      }),
    ),
  };
}

async function selectOne(db: Queryable, where: string, value: string): Promise<Cart | undefined> {
  const { rows } = await db.query<CartRow>(`${SELECT_CART} WHERE ${where} = $1`, [value]);
  return rows[0] === undefined ? undefined : toCart(rows[0]);
}

/**
 * Locks the cart row, then reads the cart in a second statement. One `SELECT … FOR UPDATE` with the
 * lines subquery would lose updates: after waiting for the lock, Postgres re-reads the locked row
 * but the subquery keeps the snapshot taken before the wait, so it would return the old lines
 * (the store contract's concurrency test caught exactly that).
 */
async function lockAndRead(tx: pg.PoolClient, id: string): Promise<Cart | undefined> {
  const { rowCount } = await tx.query('SELECT 1 FROM carts WHERE id = $1 FOR UPDATE', [id]);
  return rowCount === 0 ? undefined : selectOne(tx, 'c.id', id);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PostgresCartStore implements CartStore {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  async insert(cart: Cart): Promise<Cart> {
    assertStorable(cart, MAX_CART_LINES);
    return withTransaction(this.#db, async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO carts (id, user_id, token_hash, version, created_at, updated_at, active_at, applied_keys)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          cart.id,
          cart.userId,
          cart.tokenHash,
          cart.version,
          cart.createdAt,
          cart.updatedAt,
          cart.activeAt,
          JSON.stringify(cart.appliedKeys),
        ],
      );
      if (rowCount === 0) {
        const existing =
          cart.userId !== null
            ? await selectOne(tx, 'c.user_id', cart.userId)
            : await selectOne(tx, 'c.token_hash', cart.tokenHash ?? '');
        if (existing !== undefined) return existing;
        throw new Error(`cart ${cart.id} exists already`);
      }
      await insertLines(tx, cart);
      return cart;
    });
  }

  findById(id: string): Promise<Cart | undefined> {
    return UUID.test(id) ? selectOne(this.#db, 'c.id', id) : Promise.resolve(undefined);
  }

  findByUser(userId: string): Promise<Cart | undefined> {
    return UUID.test(userId) ? selectOne(this.#db, 'c.user_id', userId) : Promise.resolve(undefined);
  }

  findByTokenHash(tokenHash: string): Promise<Cart | undefined> {
    return selectOne(this.#db, 'c.token_hash', tokenHash);
  }

  async update(id: string, change: CartChange): Promise<Cart | undefined> {
    if (!UUID.test(id)) return undefined;
    return withTransaction(this.#db, async (tx) => {
      const current = await lockAndRead(tx, id);
      if (current === undefined) return undefined;
      const next = change(current);
      if (next === current) return current;
      return save(tx, next, current.version);
    });
  }

  async merge(
    targetId: string,
    sourceId: string,
    combine: (target: Cart, source: Cart) => Cart,
  ): Promise<Cart | undefined> {
    if (!UUID.test(targetId) || !UUID.test(sourceId) || targetId === sourceId) return undefined;
    return withTransaction(this.#db, async (tx) => {
      // Both rows locked in id order: two merges touching the same carts cannot deadlock.
      const { rows } = await tx.query<{ id: string }>(
        'SELECT id FROM carts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
        [[targetId, sourceId]],
      );
      if (rows.length < 2) return undefined;
      const target = await selectOne(tx, 'c.id', targetId);
      const source = await selectOne(tx, 'c.id', sourceId);
      if (target === undefined || source === undefined) return undefined;
      const merged = combine(target, source);
      await tx.query('DELETE FROM carts WHERE id = $1', [sourceId]);
      return save(tx, merged, target.version);
    });
  }

  async delete(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const { rowCount } = await this.#db.query('DELETE FROM carts WHERE id = $1', [id]);
    return rowCount === 1;
  }

  async cartsHoldingProduct(productId: string): Promise<string[]> {
    if (!UUID.test(productId)) return [];
    const { rows } = await this.#db.query<{ cart_id: string }>(
      'SELECT cart_id FROM cart_lines WHERE product_id = $1 ORDER BY cart_id',
      [productId],
    );
    return rows.map((row) => row.cart_id);
  }

  async deleteIdle(before: number, limit: number): Promise<number> {
    // SKIP LOCKED: replicas sweeping together share the work; a cart being changed is left for later.
    const { rowCount } = await this.#db.query(
      `DELETE FROM carts WHERE id IN (
         SELECT id FROM carts WHERE active_at <= $1 ORDER BY active_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [before, limit],
    );
    return rowCount ?? 0;
  }

  async check(): Promise<void> {
    // The app's readiness already checks this pool.
  }

  async close(): Promise<void> {
    // The pool belongs to the app (the chassis closes it).
  }
}

async function save(tx: pg.PoolClient, cart: Cart, previousVersion: number): Promise<Cart> {
  assertStorable(cart, MAX_CART_LINES);
  const saved = { ...cart, version: previousVersion + 1 };
  await tx.query(
    'UPDATE carts SET version = $2, updated_at = $3, active_at = $4, applied_keys = $5 WHERE id = $1',
    // Serialised by hand: pg would send a JavaScript array as a Postgres array, not JSON.
    [saved.id, saved.version, saved.updatedAt, saved.activeAt, JSON.stringify(saved.appliedKeys)],
  );
  // At most 100 small rows: rewriting them is simpler than diffing and as fast.
  await tx.query('DELETE FROM cart_lines WHERE cart_id = $1', [saved.id]);
  await insertLines(tx, saved);
  return saved;
}

async function insertLines(tx: pg.PoolClient, cart: Cart): Promise<void> {
  if (cart.lines.length === 0) return;
  const rows = cart.lines.map((line) => ({
    product_id: line.productId,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    unit_price_minor: line.unitPrice.amountMinor,
    currency: line.unitPrice.currency,
    changed_from_minor: line.priceChangedFrom?.amountMinor ?? null,
    changed_from_currency: line.priceChangedFrom?.currency ?? null,
    price_as_of: line.priceAsOf,
    added_at: line.addedAt,
  }));
  await tx.query(
    `INSERT INTO cart_lines (cart_id, product_id, sku, name, quantity, unit_price_minor, currency,
       changed_from_minor, changed_from_currency, price_as_of, added_at)
     SELECT $1, x.* FROM jsonb_to_recordset($2::jsonb) AS x(product_id uuid, sku text, name text,
       quantity integer, unit_price_minor bigint, currency text, changed_from_minor bigint,
       changed_from_currency text, price_as_of bigint, added_at bigint)`,
    [cart.id, JSON.stringify(rows)],
  );
}
