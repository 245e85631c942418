// Stored rows → response bodies (the card token is not shown: it is the shopper's, not support's).
import type { Attempt } from '../store/attempts.ts';
import type { Payment } from '../store/payments.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function paymentView(p: Payment) {
  return {
    id: p.id,
    orderId: p.orderId,
    userId: p.userId,
    amount: { amountMinor: p.amountMinor, currency: p.currency },
    status: p.status,
    chargeId: p.chargeId,
    refundId: p.refundId,
    failureReason: p.failureReason,
    orderCancelledAt: iso(p.orderCancelledAt),
    attemptCount: p.attempts,
    nextAttemptAt: iso(p.nextAttemptAt),
    lastError: p.lastError,
    requestedAt: p.requestedAt.toISOString(),
    capturedAt: iso(p.capturedAt),
    refundedAt: iso(p.refundedAt),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function attemptView(a: Attempt) {
  return {
    kind: a.kind,
    outcome: a.outcome,
    httpStatus: a.httpStatus,
    code: a.code,
    maybeSent: a.maybeSent,
    startedAt: a.startedAt.toISOString(),
    finishedAt: a.finishedAt.toISOString(),
  };
}
