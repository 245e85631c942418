// SQL of reservations (one per order) and their lines. The row of an order is its lock: every
// change of a reservation takes it first, then the stock rows (in SKU order).
import type { SkuQuantity } from '../domain/reservation-plan.ts';
import type { Queryable } from './db.ts';

export type ReservationStatus =
  | 'active'
  | 'committed'
  | 'released'
  | 'expired'
  | 'rejected'
  /** Committed, then cancelled: its sold units went back to available. */
  | 'returned';

export interface Reservation {
  orderId: string;
  id: string;
  status: ReservationStatus;
  reason: string | null;
  /** The event data inventory answered order.placed.v1 with; null if it never did. */
  answer: Record<string, unknown> | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `order_id AS "orderId", id, status, reason, answer, expires_at AS "expiresAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * Creates the order's reservation row, or resolves to undefined when the order has one already.
 * A concurrent claim of the same order waits here until the first commits, then finds it taken.
 * An active one expires `ttlSeconds` from now (the database's clock, as the sweeper's).
 */
export async function claimReservation(
  db: Queryable,
  claim: { orderId: string; id: string; status: 'active' | 'released'; reason?: string; ttlSeconds?: number },
): Promise<Reservation | undefined> {
  const { rows } = await db.query<Reservation>(
    `INSERT INTO reservations (order_id, id, status, reason, expires_at)
     VALUES ($1, $2, $3, $4, CASE WHEN $3 = 'active' THEN now() + make_interval(secs => $5) END)
     ON CONFLICT (order_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [claim.orderId, claim.id, claim.status, claim.reason ?? null, claim.ttlSeconds ?? 0],
  );
  return rows[0];
}

export async function findReservation(
  db: Queryable,
  orderId: string,
  options: { forUpdate?: boolean } = {},
): Promise<Reservation | undefined> {
  const { rows } = await db.query<Reservation>(
    `SELECT ${COLUMNS} FROM reservations WHERE order_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [orderId],
  );
  return rows[0];
}

/**
 * Sets the reservation's status (and reason/answer when given). With `from`, only a reservation
 * still in that status changes: resolves to false when it was not (a conditional update, so a
 * caller never moves a reservation out of a status it no longer has).
 */
export async function updateReservation(
  db: Queryable,
  orderId: string,
  change: {
    status: ReservationStatus;
    from?: ReservationStatus;
    reason?: string | null;
    answer?: Record<string, unknown>;
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE reservations
     SET status = $2, reason = coalesce($3, reason), answer = coalesce($4::jsonb, answer), updated_at = now()
     WHERE order_id = $1 AND ($5::text IS NULL OR status = $5)`,
    [
      orderId,
      change.status,
      change.reason ?? null,
      change.answer === undefined ? null : JSON.stringify(change.answer),
      change.from ?? null,
    ],
  );
  return rowCount === 1;
}

export async function insertReservationLines(
  db: Queryable,
  orderId: string,
  lines: readonly SkuQuantity[],
): Promise<void> {
  await db.query(
    `INSERT INTO reservation_lines (order_id, sku, quantity)
     SELECT $1, * FROM unnest($2::text[], $3::int[])`,
    [orderId, lines.map((l) => l.sku), lines.map((l) => l.quantity)],
  );
}

/** The lines a reservation held (kept after it ends, as its record), in SKU order. */
export async function reservationLines(db: Queryable, orderId: string): Promise<SkuQuantity[]> {
  const { rows } = await db.query<SkuQuantity>(
    'SELECT sku, quantity FROM reservation_lines WHERE order_id = $1 ORDER BY sku',
    [orderId],
  );
  return rows;
}

/**
 * The oldest active reservation past its expiry that no other transaction holds, locked. SKIP
 * LOCKED lets several sweepers (replicas) work side by side, and skips an order whose confirmation
 * or cancellation is being applied right now.
 */
export async function lockNextExpired(db: Queryable): Promise<Reservation | undefined> {
  const { rows } = await db.query<Reservation>(
    `SELECT ${COLUMNS} FROM reservations
     WHERE status = 'active' AND expires_at <= now()
     ORDER BY expires_at
     LIMIT 1
     FOR UPDATE SKIP LOCKED`,
  );
  return rows[0];
}
