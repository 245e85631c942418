// The order's state machine: what the checkout saga, the shipping events and the customer may do
// to an order in each status. Pure: the saga asks `decide` and applies the answer; anything not
// listed is refused.
//
//   pending ──stock_reserved──▶ awaiting_payment ──payment_succeeded──▶ confirmed ──shipment_dispatched──▶ shipped
//      │                              │                                    │    │                              │
//      └── stock_rejected, stock_timeout, reservation_expired,             │    └──shipment_delivered──▶ delivered ◀┘
//          payment_failed, payment_timeout, customer_cancel ──▶ cancelled ◀┘         shipment_delivered
//                                                           customer_cancel (refund)
//
// A confirmed order may still be cancelled (refunded) while its parcel has not left: shipping stops
// the shipment on order.cancelled.v1. Once shipping reports the dispatch (shipped) or the delivery,
// a cancel is refused. shipment_delivered also moves a confirmed order, in case the delivery is
// handled before the dispatch (the two are separate events).

export const ORDER_STATUSES = [
  'pending',
  'awaiting_payment',
  'confirmed',
  'shipped',
  'delivered',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What can happen to an order: the saga's answers and timeouts, shipping, and the customer. */
export type SagaInput =
  | { kind: 'stock_reserved' }
  | { kind: 'stock_rejected'; reason: string }
  | { kind: 'stock_timeout' }
  | { kind: 'reservation_expired' }
  | { kind: 'payment_succeeded' }
  | { kind: 'payment_failed'; reason: string }
  | { kind: 'payment_timeout' }
  | { kind: 'shipment_dispatched' }
  | { kind: 'shipment_delivered' }
  | { kind: 'customer_cancel' };
export type SagaInputKind = SagaInput['kind'];

const MOVES: Record<OrderStatus, Partial<Record<SagaInputKind, OrderStatus>>> = {
  pending: {
    stock_reserved: 'awaiting_payment',
    stock_rejected: 'cancelled',
    stock_timeout: 'cancelled',
    // Only if the expiry overtook the reservation's own answer; cancelling is right either way.
    reservation_expired: 'cancelled',
    customer_cancel: 'cancelled',
  },
  awaiting_payment: {
    payment_succeeded: 'confirmed',
    payment_failed: 'cancelled',
    payment_timeout: 'cancelled',
    reservation_expired: 'cancelled',
    customer_cancel: 'cancelled',
  },
  // Before its parcel leaves a confirmed order may still be cancelled: refunded.
  confirmed: {
    customer_cancel: 'cancelled',
    shipment_dispatched: 'shipped',
    shipment_delivered: 'delivered',
  },
  shipped: { shipment_delivered: 'delivered' },
  delivered: {},
  cancelled: {},
};

/** The stable reason code a cancellation carries (order.cancelled.v1 `reason`). */
function cancelReason(input: SagaInput): string {
  switch (input.kind) {
    case 'stock_rejected':
    case 'payment_failed':
      return input.reason;
    case 'customer_cancel':
      return 'customer_request';
    default:
      return input.kind;
  }
}

export type Decision =
  | {
      ok: true;
      from: OrderStatus;
      to: OrderStatus;
      /** Set when the move cancels the order. */
      reason: string | null;
      /** A captured payment is to be refunded (the order was paid when it was cancelled). */
      refund: boolean;
    }
  | { ok: false; from: OrderStatus; why: string };

/** Why a customer cannot cancel in `status`, in words for the customer. */
const CANCEL_REFUSALS: Partial<Record<OrderStatus, string>> = {
  shipped: 'The order has shipped: its parcel is on its way and can no longer be stopped',
  delivered: 'The order has been delivered: it can no longer be cancelled',
  cancelled: 'The order is cancelled already',
};

/** Whether `input` moves an order in `status`, and where to. */
export function decide(status: OrderStatus, input: SagaInput): Decision {
  const to = MOVES[status][input.kind];
  if (to === undefined) {
    const refusal = input.kind === 'customer_cancel' ? CANCEL_REFUSALS[status] : undefined;
    return {
      ok: false,
      from: status,
      why: refusal ?? `${input.kind.replaceAll('_', ' ')} is not possible when ${status}`,
    };
  }
  const cancels = to === 'cancelled';
  return {
    ok: true,
    from: status,
    to,
    reason: cancels ? cancelReason(input) : null,
    refund: cancels && status === 'confirmed',
  };
}

/** Statuses the saga still waits in (each has a timeout). */
export function isWaiting(status: OrderStatus): boolean {
  return status === 'pending' || status === 'awaiting_payment';
}

/** What the customer may still do: cancel before the parcel leaves. */
export function isCancellable(status: OrderStatus): boolean {
  return MOVES[status].customer_cancel !== undefined;
}
