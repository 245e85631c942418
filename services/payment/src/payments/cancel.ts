// order.cancelled.v1 → a captured charge is refunded (the worker calls the processor). A payment
// still pending is noted as cancelled and settled by the worker: abandoned when no charge can have
// gone through, refunded when one did. The lease of a call in flight is left alone, so that call's
// answer is applied first. An order with no payment yet is remembered, so a late request is not
// charged.
import type pg from 'pg';
import type { PaymentContext } from '../context.ts';
import { onOrderCancelled } from '../domain/payment-status.ts';
import { rememberCancelledOrder } from '../store/cancelled-orders.ts';
import { findPayment, updatePayment } from '../store/payments.ts';

export async function cancelPayment(tx: pg.ClientBase, ctx: PaymentContext, orderId: string): Promise<void> {
  const payment = await findPayment(tx, { orderId }, { forUpdate: true });
  if (payment === undefined) {
    await rememberCancelledOrder(tx, orderId);
    return;
  }
  if (onOrderCancelled(payment.status) === 'refund') {
    await updatePayment(tx, payment.id, {
      status: 'refunding',
      orderCancelled: true,
      nextAttemptAt: new Date(),
    });
    ctx.logger.info({ orderId, paymentId: payment.id }, 'order cancelled: refunding its charge');
  } else {
    await updatePayment(tx, payment.id, { orderCancelled: true });
  }
}
