// How much of a charge may be refunded: never more than was captured, in total over every
// (partial) refund; a failed charge captured nothing.

export interface RefundableCharge {
  status: 'succeeded' | 'failed';
  amount: number;
  amountRefunded: number;
}

export type RefundDecision =
  | { ok: true; amount: number }
  | { ok: false; refusal: 'charge_not_refundable' | 'charge_already_refunded' }
  | { ok: false; refusal: 'refund_exceeds_remaining'; remaining: number };

/** `requested` undefined: the rest of the charge. */
export function decideRefund(charge: RefundableCharge, requested: number | undefined): RefundDecision {
  if (charge.status !== 'succeeded') return { ok: false, refusal: 'charge_not_refundable' };
  const remaining = charge.amount - charge.amountRefunded;
  if (remaining <= 0) return { ok: false, refusal: 'charge_already_refunded' };
  const amount = requested ?? remaining;
  if (amount > remaining) return { ok: false, refusal: 'refund_exceeds_remaining', remaining };
  return { ok: true, amount };
}
