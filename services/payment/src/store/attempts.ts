// SQL of payment_attempts: every call made to the processor for a payment, kept as its record.
import type { Queryable } from './db.ts';

export type AttemptKind = 'charge' | 'refund' | 'lookup';
export type AttemptOutcome = 'succeeded' | 'declined' | 'rejected' | 'retry';

export interface Attempt {
  id: string;
  kind: AttemptKind;
  outcome: AttemptOutcome;
  httpStatus: number | null;
  code: string | null;
  maybeSent: boolean;
  startedAt: Date;
  finishedAt: Date;
}

export async function recordAttempt(
  db: Queryable,
  paymentId: string,
  attempt: Omit<Attempt, 'id' | 'finishedAt'>,
): Promise<void> {
  await db.query(
    `INSERT INTO payment_attempts (payment_id, kind, outcome, http_status, code, maybe_sent, started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
    [
      paymentId,
      attempt.kind,
      attempt.outcome,
      attempt.httpStatus,
      attempt.code,
      attempt.maybeSent,
      attempt.startedAt,
    ],
  );
}

/** A payment's calls, oldest first. */
export async function attemptsOf(db: Queryable, paymentId: string): Promise<Attempt[]> {
  const { rows } = await db.query<Attempt>(
    `SELECT id::text, kind, outcome, http_status AS "httpStatus", code, maybe_sent AS "maybeSent",
            started_at AS "startedAt", finished_at AS "finishedAt"
     FROM payment_attempts WHERE payment_id = $1 ORDER BY id`,
    [paymentId],
  );
  return rows;
}

/** When the latest charge call that may have reached the processor started; null when none may have. */
export async function lastMaybeSentCharge(db: Queryable, paymentId: string): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    `SELECT max(started_at) AS at FROM payment_attempts
     WHERE payment_id = $1 AND kind = 'charge' AND maybe_sent`,
    [paymentId],
  );
  return rows[0]?.at ?? null;
}
