// A shipment's life, as a pure state machine: the carrier simulator and admins ask `decide` and
// apply the answer; anything not listed is refused.
//
//   scheduled ─▶ picked_up ─▶ in_transit ─▶ out_for_delivery ─▶ delivered
//       │            │             │                 │
//       └────────────┴─────────────┴─────────────────┴──▶ exception   (admin, with a reason)
//   scheduled, picked_up ─▶ cancelled   (the order was cancelled before dispatch)
//
// delivered, exception and cancelled are final. in_transit is "dispatched": from there the parcel
// has left and the order can no longer be cancelled.

export const SHIPMENT_STATUSES = [
  'scheduled',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'cancelled',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** What can happen to a shipment: the carrier's next step, a problem, or the order's cancellation. */
export type ShipmentInput =
  | { kind: 'advance' }
  | { kind: 'exception'; reason: string }
  | { kind: 'order_cancelled'; reason: string };

/** The carrier's regular next step from each status. */
const NEXT: Partial<Record<ShipmentStatus, ShipmentStatus>> = {
  scheduled: 'picked_up',
  picked_up: 'in_transit',
  in_transit: 'out_for_delivery',
  out_for_delivery: 'delivered',
};

/** Before dispatch the parcel has not left: an order cancelled now stops it. */
const CANCELLABLE: readonly ShipmentStatus[] = ['scheduled', 'picked_up'];

export type Decision =
  | { ok: true; from: ShipmentStatus; to: ShipmentStatus; reason: string | null }
  | { ok: false; from: ShipmentStatus; why: string };

export function isFinal(status: ShipmentStatus): boolean {
  return NEXT[status] === undefined;
}

/** Whether `input` moves a shipment in `status`, and where to. */
export function decide(status: ShipmentStatus, input: ShipmentInput): Decision {
  const refuse = (why: string): Decision => ({ ok: false, from: status, why });
  switch (input.kind) {
    case 'advance': {
      const to = NEXT[status];
      if (to === undefined) return refuse(`a ${status} shipment moves no further`);
      return { ok: true, from: status, to, reason: null };
    }
    case 'exception':
      if (isFinal(status)) return refuse(`a ${status} shipment cannot have an exception`);
      return { ok: true, from: status, to: 'exception', reason: input.reason };
    case 'order_cancelled':
      if (!CANCELLABLE.includes(status))
        return refuse(`a shipment ${status.replace('_', ' ')} cannot be stopped`);
      return { ok: true, from: status, to: 'cancelled', reason: input.reason };
  }
}
