// SQL of the tracking history: one row per status change, with when, what caused it and where.

import type { ShipmentStatus } from '../domain/shipment-status.ts';
import type { CityLocation } from '../domain/step-location.ts';
import type { Queryable } from './db.ts';

export interface Step {
  from: ShipmentStatus | null;
  to: ShipmentStatus;
  /** 'event:<type>', 'carrier', 'admin:<user id>'. */
  cause: string;
  reason: string | null;
  location: CityLocation | null;
}

export interface StepRecord extends Step {
  at: Date;
}

export async function recordStep(db: Queryable, shipmentId: string, step: Step): Promise<Date> {
  const { rows } = await db.query<{ at: Date }>(
    `INSERT INTO shipment_history (shipment_id, from_status, to_status, cause, reason, city, country)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING at`,
    [
      shipmentId,
      step.from,
      step.to,
      step.cause,
      step.reason,
      step.location?.city ?? null,
      step.location?.country ?? null,
    ],
  );
  return (rows[0] as { at: Date }).at;
}

export async function historyOf(db: Queryable, shipmentId: string): Promise<StepRecord[]> {
  const { rows } = await db.query<{
    from: ShipmentStatus | null;
    to: ShipmentStatus;
    cause: string;
    reason: string | null;
    city: string | null;
    country: string | null;
    at: Date;
  }>(
    `SELECT from_status AS "from", to_status AS "to", cause, reason, city, country, at
     FROM shipment_history WHERE shipment_id = $1 ORDER BY id`,
    [shipmentId],
  );
  return rows.map(({ city, country, ...step }) => ({
    ...step,
    location: city === null || country === null ? null : { city, country },
  }));
}
