// SQL of orders and their lines. The order's row is its lock: every saga step and cancellation
// takes it (FOR UPDATE) before deciding, so two events of one order apply one after the other.
import type { OrderLine, ShippingAddress } from '@shopnow/contracts';
import type { OrderKey } from '../domain/cursor.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import type { Queryable } from './db.ts';

export interface OrderRecord {
  id: string;
  userId: string;
  status: OrderStatus;
  cartId: string | null;
  cardToken: string;
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  shippingAddress: ShippingAddress;
  cancelReason: string | null;
  refundDue: boolean;
  deadlineAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewOrder = Omit<
  OrderRecord,
  'cancelReason' | 'refundDue' | 'deadlineAt' | 'version' | 'createdAt' | 'updatedAt'
> & {
  /** Seconds from now (the database's clock, as the sweeper's) until the first step times out. */
  waitSeconds: number;
};

// bigint comes back as text from pg; the amounts stay far below 2^53, so float8 is exact.
const COLUMNS = `id, user_id AS "userId", status, cart_id AS "cartId", card_token AS "cardToken",
  currency, subtotal_minor::float8 AS "subtotalMinor", shipping_minor::float8 AS "shippingMinor",
  tax_minor::float8 AS "taxMinor", total_minor::float8 AS "totalMinor",
  shipping_address AS "shippingAddress", cancel_reason AS "cancelReason", refund_due AS "refundDue",
  deadline_at AS "deadlineAt", version, created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function insertOrder(
  db: Queryable,
  order: NewOrder,
  lines: readonly OrderLine[],
): Promise<OrderRecord> {
  const { rows } = await db.query<OrderRecord>(
    `INSERT INTO orders (id, user_id, status, cart_id, card_token, currency, subtotal_minor,
       shipping_minor, tax_minor, total_minor, shipping_address, deadline_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() + make_interval(secs => $12))
     RETURNING ${COLUMNS}`,
    [
      order.id,
      order.userId,
      order.status,
      order.cartId,
      order.cardToken,
      order.currency,
      order.subtotalMinor,
      order.shippingMinor,
      order.taxMinor,
      order.totalMinor,
      JSON.stringify(order.shippingAddress),
      order.waitSeconds,
    ],
  );
  await db.query(
    `INSERT INTO order_lines (order_id, line_no, product_id, sku, name, quantity, unit_price_minor)
     SELECT $1, n, p, s, nm, q, u
     FROM unnest($2::int[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::bigint[]) AS t(n, p, s, nm, q, u)`,
    [
      order.id,
      lines.map((_, i) => i + 1),
      lines.map((l) => l.productId),
      lines.map((l) => l.sku),
      lines.map((l) => l.name),
      lines.map((l) => l.quantity),
      lines.map((l) => l.unitPrice.amountMinor),
    ],
  );
  return rows[0] as OrderRecord;
}

export async function findOrder(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrderRecord | undefined> {
  const { rows } = await db.query<OrderRecord>(
    `SELECT ${COLUMNS} FROM orders WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function orderLines(
  db: Queryable,
  order: Pick<OrderRecord, 'id' | 'currency'>,
): Promise<OrderLine[]> {
  const { rows } = await db.query<{
    productId: string;
    sku: string;
    name: string;
    quantity: number;
    unit: number;
  }>(
    `SELECT product_id AS "productId", sku, name, quantity, unit_price_minor::float8 AS unit
     FROM order_lines WHERE order_id = $1 ORDER BY line_no`,
    [order.id],
  );
  return rows.map(({ unit, ...line }) => ({
    ...line,
    unitPrice: { amountMinor: unit, currency: order.currency },
  }));
}

/**
 * Moves the order to its new state; resolves to the order after the change (version + 1).
 * `waitSeconds`: until the new step times out (null: the order waits for nothing).
 */
export async function updateOrderState(
  db: Queryable,
  id: string,
  change: {
    status: OrderStatus;
    cancelReason: string | null;
    refundDue: boolean;
    waitSeconds: number | null;
  },
): Promise<OrderRecord> {
  const { rows } = await db.query<OrderRecord>(
    `UPDATE orders
     SET status = $2, cancel_reason = $3, refund_due = $4,
         deadline_at = now() + make_interval(secs => $5), version = version + 1, updated_at = now()
     WHERE id = $1
     RETURNING ${COLUMNS}`,
    [id, change.status, change.cancelReason, change.refundDue, change.waitSeconds],
  );
  const updated = rows[0];
  if (updated === undefined) throw new Error(`order ${id} vanished while locked`);
  return updated;
}

export interface OrderFilter {
  userId?: string | undefined;
  status?: OrderStatus | undefined;
  /** Created at or after. */
  from?: Date | undefined;
  /** Created before. */
  to?: Date | undefined;
  after?: OrderKey | undefined;
  limit: number;
}

/** Orders newest first (created_at, id), after the cursor's key. */
export async function listOrders(db: Queryable, filter: OrderFilter): Promise<OrderRecord[]> {
  const { rows } = await db.query<OrderRecord>(
    `SELECT ${COLUMNS} FROM orders
     WHERE ($1::uuid IS NULL OR user_id = $1)
       AND ($2::text IS NULL OR status = $2)
       AND ($3::timestamptz IS NULL OR created_at >= $3)
       AND ($4::timestamptz IS NULL OR created_at < $4)
       AND ($5::timestamptz IS NULL OR (created_at, id) < ($5, $6::uuid))
     ORDER BY created_at DESC, id DESC
     LIMIT $7`,
    [
      filter.userId ?? null,
      filter.status ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.after?.createdAt ?? null,
      filter.after?.id ?? null,
      filter.limit,
    ],
  );
  return rows;
}

/**
 * The waiting order whose deadline passed longest ago and that no other transaction holds,
 * locked. SKIP LOCKED lets several sweepers (replicas) work side by side and skips an order whose
 * event is being applied right now (it may not time out after all).
 */
export async function lockNextTimedOut(db: Queryable): Promise<OrderRecord | undefined> {
  const { rows } = await db.query<OrderRecord>(
    `SELECT ${COLUMNS} FROM orders
     WHERE deadline_at <= now()
     ORDER BY deadline_at
     LIMIT 1
     FOR UPDATE SKIP LOCKED`,
  );
  return rows[0];
}
