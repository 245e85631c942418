// Shared setup for the inventory service's tests: fresh databases on the real (embedded) Postgres,
// migrated like production; the store and saga functions driven directly with an outbox-only
// publisher; or the real app on top, with real Ed25519 tokens (TestTokenIssuer) and a postgres
// event bus on a second database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type App, createLogger, migrate, withTransaction } from '@shopnow/chassis';
import type { Role } from '@shopnow/contracts';
import {
  createPostgresTransport,
  EVENTS_MIGRATIONS,
  outboxOnlyEvents,
  type Transport,
} from '@shopnow/events';
import { migratedDatabase, type TestDatabase, type TestTokenIssuer, withTestbed } from '@shopnow/testkit';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import type { InventoryContext, InventorySettings } from '../src/context.ts';
import { inventoryCatalog } from '../src/events/catalog.ts';
import { confirmReservation } from '../src/reservations/confirm.ts';
import { reserveOrder } from '../src/reservations/reserve.ts';
import { stockProduct } from '../src/stock/catalog-stock.ts';
import { announceStockLevels } from '../src/stock/stock-levels.ts';
import { applyMovements } from '../src/store/movements.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
export const SETTINGS: InventorySettings = {
  newSkuStock: 0,
  reservationTtlSeconds: 900,
  lowStockThreshold: 5,
};
const silent = createLogger({ service: 'inventory', version: 'test', level: 'silent' });

export async function migrateInventory(pool: pg.Pool): Promise<void> {
  await migrate(pool, { service: 'inventory', dir: MIGRATIONS_DIR, packages: [EVENTS_MIGRATIONS] });
}

/** A fresh, migrated inventory database. */
export const inventoryDatabase = (): Promise<TestDatabase> => migratedDatabase(migrateInventory);

/** What the saga functions get: events into the outbox of `pool`'s database, as the app's would. */
export function testContext(pool: pg.Pool, settings: Partial<InventorySettings> = {}): InventoryContext {
  return {
    events: outboxOnlyEvents({ service: 'inventory', db: pool, catalog: inventoryCatalog, logger: silent }),
    settings: { ...SETTINGS, ...settings },
    logger: silent,
  };
}

/** A SKU as the catalog announces it, with `units` available. */
export async function addSku(
  pool: pg.Pool,
  sku: string,
  units: number,
  options: { active?: boolean; productId?: string } = {},
): Promise<string> {
  const productId = options.productId ?? randomUUID();
  const ctx = testContext(pool, { newSkuStock: units });
  await withTransaction(pool, (tx) =>
    stockProduct(tx, ctx, { productId, sku, active: options.active ?? true }, 'test'),
  );
  return productId;
}

/** Sells `quantity` units of `sku`: an order reserved, then confirmed. Resolves to its id. */
export async function sell(
  pool: pg.Pool,
  ctx: InventoryContext,
  sku: string,
  quantity: number,
): Promise<string> {
  const order = orderPlaced([[sku, quantity]]);
  await withTransaction(pool, (tx) => reserveOrder(tx, ctx, order));
  await withTransaction(pool, (tx) => confirmReservation(tx, ctx, order.orderId));
  return order.orderId;
}

/** `units` more of `sku` arrive (a restock movement), with the stock-level events it causes. */
export function restock(pool: pg.Pool, ctx: InventoryContext, sku: string, units: number): Promise<void> {
  return withTransaction(pool, async (tx) => {
    const moved = await applyMovements(tx, [
      { sku, kind: 'restock', available: units, reserved: 0, sold: 0, reason: 'delivery', actor: 'test' },
    ]);
    assert.ok(moved.ok);
    await announceStockLevels(tx, ctx, moved.rows);
  });
}

export async function countsOf(pool: pg.Pool, sku: string) {
  const { rows } = await pool.query<{ available: number; reserved: number; sold: number }>(
    'SELECT available, reserved, sold FROM stock WHERE sku = $1',
    [sku],
  );
  assert.ok(rows[0], `no stock row ${sku}`);
  return rows[0];
}

/**
 * The stock invariant, for every SKU: the ledger explains each count; available + reserved + sold
 * equals what was supplied (initial, restocks, adjustments); reserved equals what active
 * reservations hold; sold equals what orders that stayed paid (committed reservations) bought.
 */
export async function assertInvariant(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query(
    `SELECT s.sku, s.available, s.reserved, s.sold,
            coalesce(sum(m.delta_available), 0)::int AS ledger_available,
            coalesce(sum(m.delta_reserved), 0)::int AS ledger_reserved,
            coalesce(sum(m.delta_sold), 0)::int AS ledger_sold,
            coalesce(sum(m.delta_available) FILTER (WHERE m.kind IN ('initial', 'restock', 'adjustment')), 0)::int
              AS supplied,
            (SELECT coalesce(sum(l.quantity), 0)::int FROM reservation_lines l
               JOIN reservations r USING (order_id) WHERE r.status = 'active' AND l.sku = s.sku) AS held,
            (SELECT coalesce(sum(l.quantity), 0)::int FROM reservation_lines l
               JOIN reservations r USING (order_id) WHERE r.status = 'committed' AND l.sku = s.sku) AS bought
     FROM stock s LEFT JOIN stock_movements m USING (sku)
     GROUP BY s.sku`,
  );
  for (const r of rows) {
    assert.equal(r.available, r.ledger_available, `${r.sku}: available vs ledger`);
    assert.equal(r.reserved, r.ledger_reserved, `${r.sku}: reserved vs ledger`);
    assert.equal(r.sold, r.ledger_sold, `${r.sku}: sold vs ledger`);
    assert.equal(r.available + r.reserved + r.sold, r.supplied, `${r.sku}: available + reserved + sold`);
    assert.equal(r.reserved, r.held, `${r.sku}: reserved vs active reservations`);
    assert.equal(r.sold, r.bought, `${r.sku}: sold vs committed reservations`);
  }
}

/** An order.placed.v1 payload for `lines` ([sku, quantity]). */
export function orderPlaced(lines: Array<[string, number]>, orderId: string = randomUUID()) {
  const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
  return {
    orderId,
    userId: randomUUID(),
    lines: lines.map(([sku, quantity]) => ({
      productId: randomUUID(),
      sku,
      name: `Product ${sku}`,
      quantity,
      unitPrice: usd(1000),
    })),
    subtotal: usd(1000),
    shipping: usd(0),
    tax: usd(0),
    total: usd(1000),
    placedAt: new Date().toISOString(),
  };
}

// ---- the app ----

export interface InventoryFixture {
  app: App;
  pool: pg.Pool;
  issuer: TestTokenIssuer;
  /** Another transport on the app's bus (to publish what order or product would). */
  newTransport(): Transport;
  /** Resolves once the bus holds no job still to be handled (every delivery settled). */
  busIdle(): Promise<void>;
  close(): Promise<void>;
}

export async function startInventory(
  config: {
    NEW_SKU_STOCK?: number;
    RESERVATION_SWEEP_INTERVAL_MS?: number;
    RESERVATION_TTL_SECONDS?: number;
  } = {},
): Promise<InventoryFixture> {
  return withTestbed({ migrate: migrateInventory }, async (bed) => {
    const newTransport = () => createPostgresTransport({ connectionString: bed.bus.url });
    const app = await buildApp({
      config: {
        ...bed.issuer.tokenConfig,
        LOG_LEVEL: 'silent',
        BODY_LIMIT_BYTES: 65_536,
        NEW_SKU_STOCK: 0,
        RESERVATION_TTL_SECONDS: 900,
        LOW_STOCK_THRESHOLD: 5,
        RESERVATION_SWEEP_INTERVAL_MS: 60_000,
        ...config,
      },
      db: bed.db.pool,
      transport: newTransport(),
      identity: bed.issuer.identity('inventory'),
    });
    bed.onClose(() => app.close());
    await app.ready();
    return {
      app,
      pool: bed.db.pool,
      issuer: bed.issuer,
      newTransport,
      busIdle: bed.busIdle,
      close: bed.close,
    };
  });
}

export async function asUser(
  f: InventoryFixture,
  roles: Role[] = ['customer'],
  userId: string = randomUUID(),
) {
  return f.issuer.headersFor(userId, { roles });
}

/** What every service's tests share (errors, events, polling, tokens) lives once in the testkit. */
export { assertProblem, bearer, eventually, handled, published, publishOnBus } from '@shopnow/testkit';

/** Everything the service stores, to prove a refused request changed nothing. */
export async function snapshot(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT (SELECT md5(coalesce(string_agg(s::text, '|' ORDER BY sku), '')) FROM stock s) AS stock,
            (SELECT count(*) FROM stock_movements) AS movements,
            (SELECT count(*) FROM reservations) AS reservations,
            (SELECT count(*) FROM outbox) AS outbox`,
  );
  return JSON.stringify(rows[0]);
}
