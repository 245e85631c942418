// The order's state machine: what the checkout saga and the customer may do to an order in each
// status. Pure: the saga asks `decide` and applies the answer; anything not listed is refused.
//
//   pending ──stock_reserved──▶ awaiting_payment ──payment_succeeded──▶ confirmed
//      │                              │                                    │
//      └── stock_rejected, stock_timeout, reservation_expired,             │
//          payment_failed, payment_timeout, customer_cancel ──▶ cancelled ◀┘ customer_cancel (refund)

export const ORDER_STATUSES = ['pending', 'awaiting_payment', 'confirmed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What can happen to an order: the saga's answers and timeouts, and the customer. */
export type SagaInput =
  | { kind: 'stock_reserved' }
  | { kind: 'stock_rejected'; reason: string }
  | { kind: 'stock_timeout' }
  | { kind: 'reservation_expired' }
  | { kind: 'payment_succeeded' }
  | { kind: 'payment_failed'; reason: string }
  | { kind: 'payment_timeout' }
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
  // Before shipping (which does not exist yet) a confirmed order may still be cancelled: refunded.
  confirmed: { customer_cancel: 'cancelled' },
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

/** Whether `input` moves an order in `status`, and where to. */
export function decide(status: OrderStatus, input: SagaInput): Decision {
  const to = MOVES[status][input.kind];
  if (to === undefined) {
    return {
      ok: false,
      from: status,
      why: `${input.kind.replaceAll('_', ' ')} is not possible when ${status}`,
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

/** What the customer may still do: cancel before shipping. */
export function isCancellable(status: OrderStatus): boolean {
  return MOVES[status].customer_cancel !== undefined;
}
