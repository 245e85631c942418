// One status change of a shipment, whoever asks (the carrier simulator, an admin, the order's
// cancellation): the state machine decides, a conditional UPDATE applies it (so two movers never
// both move it from one status), and the history row and the step's event go in the same
// transaction.
import type pg from 'pg';
import type { ShippingContext } from '../context.ts';
import { decide, isFinal, type ShipmentInput, type ShipmentStatus } from '../domain/shipment-status.ts';
import { stepLocation } from '../domain/step-location.ts';
import { publishStep } from '../events/publish-step.ts';
import { recordStep } from '../store/history.ts';
import { moveShipment, type Shipment } from '../store/shipments.ts';

export type MoveOutcome =
  | { outcome: 'moved'; shipment: Shipment; from: ShipmentStatus }
  /** The state machine refused, or another mover changed the shipment first. */
  | { outcome: 'refused'; shipment: Shipment; why: string };

/** Applies `input` to `shipment` (as read by the caller); `cause`: 'carrier', 'admin:<id>', 'event:<type>'. */
export async function moveOnce(
  tx: pg.ClientBase,
  ctx: ShippingContext,
  shipment: Shipment,
  input: ShipmentInput,
  cause: string,
): Promise<MoveOutcome> {
  const decision = decide(shipment.status, input);
  if (!decision.ok) return { outcome: 'refused', shipment, why: decision.why };
  const moved = await moveShipment(tx, shipment.id, {
    from: decision.from,
    to: decision.to,
    reason: decision.reason,
    stepSeconds: isFinal(decision.to) ? null : ctx.settings.carrierStepSeconds,
  });
  if (moved === undefined) return { outcome: 'refused', shipment, why: 'the shipment moved meanwhile' };
  const destination = { city: moved.destinationCity, country: moved.destinationCountry };
  // An exception happens where the parcel last was.
  const where = decision.to === 'exception' ? decision.from : decision.to;
  const location = stepLocation(where, ctx.settings.origin, destination);
  const at = await recordStep(tx, moved.id, {
    from: decision.from,
    to: decision.to,
    cause,
    reason: decision.reason,
    location,
  });
  await publishStep(tx, ctx, moved, { from: decision.from, location, at });
  return { outcome: 'moved', shipment: moved, from: decision.from };
}
