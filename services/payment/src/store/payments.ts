// SQL of payments, one row per order. The row is the payment's lock: every change takes it first.
import type { PaymentStatus } from '../domain/payment-status.ts';
import type { Queryable } from './db.ts';

export interface Payment {
  id: string;
  orderId: string;
  userId: string;
  amountMinor: number;
  currency: string;
  cardToken: string;
  status: PaymentStatus;
  chargeId: string | null;
  refundId: string | null;
  failureReason: string | null;
  orderCancelledAt: Date | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  requestedAt: Date;
  capturedAt: Date | null;
  refundedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, order_id AS "orderId", user_id AS "userId", amount_minor::float8 AS "amountMinor",
  currency, card_token AS "cardToken", status, charge_id AS "chargeId", refund_id AS "refundId",
  failure_reason AS "failureReason", order_cancelled_at AS "orderCancelledAt", attempts,
  next_attempt_at AS "nextAttemptAt", last_error AS "lastError", requested_at AS "requestedAt",
  captured_at AS "capturedAt", refunded_at AS "refundedAt", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

export interface NewPayment {
  id: string;
  orderId: string;
  userId: string;
  amountMinor: number;
  currency: string;
  cardToken: string;
  requestedAt: string;
  /** Set when the order was cancelled before its payment was requested: nothing is charged. */
  cancelledAt?: Date | undefined;
}

/**
 * The order's payment, due at once (or abandoned when the order is already cancelled); undefined
 * when the order has one already. A concurrent insert for the same order waits here until the
 * first commits, then finds it taken.
 */
export async function insertPayment(db: Queryable, p: NewPayment): Promise<Payment | undefined> {
  const abandoned = p.cancelledAt !== undefined;
  const { rows } = await db.query<Payment>(
    `INSERT INTO payments (id, order_id, user_id, amount_minor, currency, card_token, status,
                           order_cancelled_at, next_attempt_at, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $7 = 'pending' THEN now() END, $9)
     ON CONFLICT (order_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      p.id,
      p.orderId,
      p.userId,
      p.amountMinor,
      p.currency,
      p.cardToken,
      abandoned ? 'abandoned' : 'pending',
      p.cancelledAt ?? null,
      p.requestedAt,
    ],
  );
  return rows[0];
}

export async function findPayment(
  db: Queryable,
  by: { id: string } | { orderId: string },
  options: { forUpdate?: boolean } = {},
): Promise<Payment | undefined> {
  const [column, value] = 'id' in by ? ['id', by.id] : ['order_id', by.orderId];
  const { rows } = await db.query<Payment>(
    `SELECT ${COLUMNS} FROM payments WHERE ${column} = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [value],
  );
  return rows[0];
}

export interface PaymentChange {
  status?: PaymentStatus;
  chargeId?: string;
  refundId?: string;
  failureReason?: string;
  orderCancelled?: boolean;
  /** Null: no call left to make. A Date: the next call is due then. */
  nextAttemptAt?: Date | null;
  /** One more call was made. */
  attempted?: boolean;
  lastError?: string | null;
  captured?: boolean;
  refunded?: boolean;
}

export async function updatePayment(db: Queryable, id: string, change: PaymentChange): Promise<Payment> {
  const { rows } = await db.query<Payment>(
    `UPDATE payments SET
       status = coalesce($2, status),
       charge_id = coalesce($3, charge_id),
       refund_id = coalesce($4, refund_id),
       failure_reason = coalesce($5, failure_reason),
       order_cancelled_at = CASE WHEN $6 THEN coalesce(order_cancelled_at, now()) ELSE order_cancelled_at END,
       next_attempt_at = CASE WHEN $7 THEN $8::timestamptz ELSE next_attempt_at END,
       attempts = attempts + CASE WHEN $9 THEN 1 ELSE 0 END,
       last_error = CASE WHEN $10 THEN $11 ELSE last_error END,
       captured_at = CASE WHEN $12 THEN now() ELSE captured_at END,
       refunded_at = CASE WHEN $13 THEN now() ELSE refunded_at END,
       updated_at = now()
     WHERE id = $1
     RETURNING ${COLUMNS}`,
    [
      id,
      change.status ?? null,
      change.chargeId ?? null,
      change.refundId ?? null,
      change.failureReason ?? null,
      change.orderCancelled === true,
      change.nextAttemptAt !== undefined,
      change.nextAttemptAt ?? null,
      change.attempted === true,
      change.lastError !== undefined,
      change.lastError ?? null,
      change.captured === true,
      change.refunded === true,
    ],
  );
  return rows[0] as Payment;
}

/**
 * Takes up to `limit` payments whose next call is due and leases them for `leaseMs`: their
 * next_attempt_at moves past the call's time budget, so no other worker takes them meanwhile,
 * and one whose worker died is taken again when the lease runs out. SKIP LOCKED lets replicas
 * claim side by side.
 */
export async function claimDue(db: Queryable, limit: number, leaseMs: number): Promise<Payment[]> {
  const { rows } = await db.query<Payment>(
    `UPDATE payments SET next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
     WHERE id IN (SELECT id FROM payments
                  WHERE next_attempt_at <= now()
                  ORDER BY next_attempt_at
                  LIMIT $1
                  FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [limit, leaseMs],
  );
  return rows;
}

export interface PaymentFilter {
  orderId?: string | undefined;
  status?: PaymentStatus | undefined;
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Newest first, by creation time and id (keyset paging). */
export async function listPayments(db: Queryable, filter: PaymentFilter): Promise<Payment[]> {
  const { rows } = await db.query<Payment>(
    `SELECT ${COLUMNS} FROM payments
     WHERE ($1::uuid IS NULL OR order_id = $1)
       AND ($2::text IS NULL OR status = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
     ORDER BY created_at DESC, id DESC
     LIMIT $5`,
    [
      filter.orderId ?? null,
      filter.status ?? null,
      filter.after?.createdAt ?? null,
      filter.after?.id ?? null,
      filter.limit,
    ],
  );
  return rows;
}
