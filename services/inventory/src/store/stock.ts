// SQL of the stock table. Counts change only through applyMovements (movements.ts); what is here
// creates rows, follows the catalog, locks rows and reads them.
import type { StockLevel } from '../domain/reservation-plan.ts';
import type { Queryable } from './db.ts';

export interface StockRow extends StockLevel {
  productId: string;
  reserved: number;
  sold: number;
  /** The SKU's own threshold; null: the service default. */
  lowThreshold: number | null;
  lowAlerted: boolean;
  /** Available reached 0 and has not been announced back in stock since. */
  soldOut: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const STOCK_COLUMNS = `sku, product_id AS "productId", available, reserved, sold, low_threshold AS "lowThreshold",
  low_alerted AS "lowAlerted", sold_out AS "soldOut", active, created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * A stock row for a product the catalog announced, unless it has one already (by product or by
 * SKU). Resolves to the new row, or undefined when nothing was inserted.
 */
export async function insertStock(
  db: Queryable,
  row: {
    sku: string;
    productId: string;
    available: number;
    active: boolean;
    lowAlerted: boolean;
    soldOut: boolean;
  },
): Promise<StockRow | undefined> {
  const { rows } = await db.query<StockRow>(
    `INSERT INTO stock (sku, product_id, available, active, low_alerted, sold_out)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING
     RETURNING ${STOCK_COLUMNS}`,
    [row.sku, row.productId, row.available, row.active, row.lowAlerted, row.soldOut],
  );
  return rows[0];
}

/** Follows a product's SKU (renamed: movements and reservations follow by cascade) and whether it is on sale. */
export async function followProduct(
  db: Queryable,
  change: { productId: string; sku: string; active: boolean },
): Promise<StockRow | undefined> {
  const { rows } = await db.query<StockRow>(
    `UPDATE stock SET sku = $2, active = $3, updated_at = now()
     WHERE product_id = $1 AND (sku <> $2 OR active <> $3)
     RETURNING ${STOCK_COLUMNS}`,
    [change.productId, change.sku, change.active],
  );
  return rows[0];
}

export async function stockOfProduct(db: Queryable, productId: string): Promise<StockRow | undefined> {
  const { rows } = await db.query<StockRow>(`SELECT ${STOCK_COLUMNS} FROM stock WHERE product_id = $1`, [
    productId,
  ]);
  return rows[0];
}

/**
 * Locks the rows of `skus` in SKU order (the rows are locked as the sorted result is read), so
 * transactions that lock several SKUs always take them in the same order and never deadlock.
 * Unknown SKUs are simply absent from the result.
 */
export async function lockStock(db: Queryable, skus: readonly string[]): Promise<StockRow[]> {
  const { rows } = await db.query<StockRow>(
    `SELECT ${STOCK_COLUMNS} FROM stock WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE`,
    [skus],
  );
  return rows;
}

export async function findStock(db: Queryable, sku: string): Promise<StockRow | undefined> {
  const { rows } = await db.query<StockRow>(`SELECT ${STOCK_COLUMNS} FROM stock WHERE sku = $1`, [sku]);
  return rows[0];
}

/** Available units of each known SKU among `skus`. */
export async function availabilityOf(
  db: Queryable,
  skus: readonly string[],
): Promise<Array<{ sku: string; available: number; active: boolean }>> {
  const { rows } = await db.query<{ sku: string; available: number; active: boolean }>(
    'SELECT sku, available, active FROM stock WHERE sku = ANY($1::text[]) ORDER BY sku',
    [skus],
  );
  return rows;
}

/** One page of SKUs after `afterSku`, optionally only those below their threshold. */
export async function listStock(
  db: Queryable,
  options: { afterSku?: string | undefined; limit: number; lowOnly: boolean; defaultThreshold: number },
): Promise<StockRow[]> {
  const { rows } = await db.query<StockRow>(
    `SELECT ${STOCK_COLUMNS} FROM stock
     WHERE ($1::text IS NULL OR sku > $1)
       AND (NOT $3 OR available < coalesce(low_threshold, $4))
     ORDER BY sku
     LIMIT $2`,
    [options.afterSku ?? null, options.limit, options.lowOnly, options.defaultThreshold],
  );
  return rows;
}

export async function setThreshold(
  db: Queryable,
  sku: string,
  threshold: number | null,
): Promise<StockRow | undefined> {
  const { rows } = await db.query<StockRow>(
    `UPDATE stock SET low_threshold = $2, updated_at = now() WHERE sku = $1 RETURNING ${STOCK_COLUMNS}`,
    [sku, threshold],
  );
  return rows[0];
}

/** The SKU's announcement flags: stock_low sent for the current dip, sold out and not yet back. */
export async function setStockFlags(
  db: Queryable,
  sku: string,
  flags: { lowAlerted: boolean; soldOut: boolean },
): Promise<void> {
  await db.query('UPDATE stock SET low_alerted = $2, sold_out = $3 WHERE sku = $1', [
    sku,
    flags.lowAlerted,
    flags.soldOut,
  ]);
}
