// The price-history projection's table: written by its event handler, read by its route.
import type { Money } from '../domain/money.ts';
import type { Queryable } from './db.ts';

export interface PriceChange {
  eventId: string;
  productId: string;
  oldPrice: Money;
  newPrice: Money;
  changedAt: string;
}

export async function recordPriceChange(db: Queryable, change: PriceChange): Promise<void> {
  await db.query(
    `insert into price_history
       (event_id, product_id, old_amount_minor, old_currency, new_amount_minor, new_currency, changed_at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      change.eventId,
      change.productId,
      change.oldPrice.amountMinor,
      change.oldPrice.currency,
      change.newPrice.amountMinor,
      change.newPrice.currency,
      change.changedAt,
    ],
  );
}

interface Row {
  event_id: string;
  product_id: string;
  old_amount_minor: string;
  old_currency: string;
  new_amount_minor: string;
  new_currency: string;
  changed_at: Date;
}

/** Newest first. */
export async function listPriceChanges(
  db: Queryable,
  productId: string,
  limit: number,
): Promise<PriceChange[]> {
  const { rows } = await db.query<Row>(
    `select event_id, product_id, old_amount_minor, old_currency, new_amount_minor, new_currency, changed_at
       from price_history where product_id = $1 order by changed_at desc, event_id limit $2`,
    [productId, limit],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    productId: row.product_id,
    oldPrice: { amountMinor: Number(row.old_amount_minor), currency: row.old_currency },
    newPrice: { amountMinor: Number(row.new_amount_minor), currency: row.new_currency },
    changedAt: row.changed_at.toISOString(),
  }));
}
