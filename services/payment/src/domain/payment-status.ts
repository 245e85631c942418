// A payment's life, one per order: pending → captured | failed | abandoned; captured → refunding
// → refunded | refund_failed. What a cancelled order and a capture mean for each state.
export type PaymentStatus =
  | 'pending'
  | 'captured'
  | 'failed'
  | 'abandoned'
  | 'refunding'
  | 'refunded'
  | 'refund_failed';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'pending',
  'captured',
  'failed',
  'abandoned',
  'refunding',
  'refunded',
  'refund_failed',
];

/** States with a call to the processor still to make (the worker's). */
export const WORK_STATUSES: readonly PaymentStatus[] = ['pending', 'refunding'];

/**
 * order.cancelled.v1 arrived: a capture is to be refunded; a pending charge is settled by the worker
 * (abandoned, or refunded if it turns out it went through); anything else only notes the cancel.
 */
export function onOrderCancelled(status: PaymentStatus): 'refund' | 'note' {
  return status === 'captured' ? 'refund' : 'note';
}

/**
 * A charge went through. From pending (or abandoned, when a call still in flight at the cancel
 * succeeded after all) it is captured, and refunded at once if its order is cancelled; a payment
 * already past it keeps its state (the same charge answered again).
 */
export function afterCapture(status: PaymentStatus, orderCancelled: boolean): PaymentStatus | undefined {
  if (status !== 'pending' && status !== 'abandoned') return undefined;
  return orderCancelled ? 'refunding' : 'captured';
}
