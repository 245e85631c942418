// order.payment_requested.v1 → the order's payment, pending and due at once; the worker charges
// it. Once per order: a second request for it (another event id, e.g. the order's saga resuming
// after a crash) gets the answer already given again, never a second charge. An order cancelled
// before its request arrived is not charged.
import { randomUUID } from 'node:crypto';
import type { EventData, OrderPaymentRequestedV1 } from '@shopnow/contracts';
import type pg from 'pg';
import type { PaymentContext } from '../context.ts';
import { orderCancelledAt } from '../store/cancelled-orders.ts';
import { findPayment, insertPayment, type Payment } from '../store/payments.ts';
import { announceFailed, announceSucceeded } from './answers.ts';

export async function requestPayment(
  tx: pg.ClientBase,
  ctx: PaymentContext,
  request: EventData<typeof OrderPaymentRequestedV1>,
): Promise<Payment> {
  const created = await insertPayment(tx, {
    id: randomUUID(),
    orderId: request.orderId,
    userId: request.userId,
    amountMinor: request.amount.amountMinor,
    currency: request.amount.currency,
    cardToken: request.cardToken,
    requestedAt: request.requestedAt,
    cancelledAt: await orderCancelledAt(tx, request.orderId),
  });
  if (created !== undefined) return created;

  const existing = (await findPayment(tx, { orderId: request.orderId })) as Payment;
  if (existing.chargeId !== null) await announceSucceeded(tx, ctx, existing);
  else if (existing.status === 'failed') await announceFailed(tx, ctx, existing);
  return existing;
}
