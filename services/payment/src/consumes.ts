// Every event the payment service consumes, with its consumer group and handler: the one place
// to look. Each handler runs in the transaction that records the event in the inbox; neither
// calls the processor (the worker does, from the rows they leave), so a handler never holds a
// transaction open across the network.
import { OrderCancelledV1, OrderPaymentRequestedV1 } from '@shopnow/contracts';
import { consume } from '@shopnow/events';
import type { PaymentContext } from './context.ts';
import { cancelPayment } from './payments/cancel.ts';
import { requestPayment } from './payments/request.ts';

/** The checkout saga's side of payment: charge, and refund on cancel. */
const CHECKOUT = 'payment.checkout';

export function paymentSubscriptions(ctx: PaymentContext) {
  return [
    consume(OrderPaymentRequestedV1, CHECKOUT, async (event, tx) => {
      await requestPayment(tx, ctx, event.data);
    }),
    consume(OrderCancelledV1, CHECKOUT, async (event, tx) => {
      await cancelPayment(tx, ctx, event.data.orderId);
    }),
  ];
}
