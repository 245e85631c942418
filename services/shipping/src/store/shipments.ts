// SQL of shipments. A status change is a conditional UPDATE (the status it expects to leave): two
// replicas' simulators, or an admin and a simulator, never both move one shipment from one status.
import type { OrderLine, ShippingAddress } from '@shopnow/contracts';
import type { ShipmentKey } from '../domain/cursor.ts';
import type { ShipmentStatus } from '../domain/shipment-status.ts';
import type { Queryable } from './db.ts';

export interface ShipmentLine {
  sku: string;
  name: string;
  quantity: number;
}

export interface Shipment {
  id: string;
  orderId: string;
  userId: string;
  status: ShipmentStatus;
  carrier: string;
  serviceLevel: string;
  trackingNumber: string;
  /** YYYY-MM-DD. */
  estimatedDelivery: string;
  address: ShippingAddress;
  destinationCity: string;
  destinationCountry: string;
  lines: ShipmentLine[];
  reason: string | null;
  nextStepAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, order_id AS "orderId", user_id AS "userId", status, carrier,
  service_level AS "serviceLevel", tracking_number AS "trackingNumber",
  to_char(estimated_delivery, 'YYYY-MM-DD') AS "estimatedDelivery", address,
  destination_city AS "destinationCity", destination_country AS "destinationCountry", lines, reason,
  next_step_at AS "nextStepAt", version, created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface NewShipment {
  id: string;
  orderId: string;
  userId: string;
  carrier: string;
  serviceLevel: string;
  trackingNumber: string;
  estimatedDelivery: string;
  address: ShippingAddress;
  lines: readonly OrderLine[];
  /** Seconds until the simulator's first step; null: the simulator is off. */
  stepSeconds: number | null;
}

/**
 * Inserts the order's shipment, or resolves to undefined when the order has one already (a
 * concurrent insert for the same order waits here until the first commits, then finds it taken).
 */
export async function insertShipment(db: Queryable, s: NewShipment): Promise<Shipment | undefined> {
  const lines: ShipmentLine[] = s.lines.map(({ sku, name, quantity }) => ({ sku, name, quantity }));
  const { rows } = await db.query<Shipment>(
    `INSERT INTO shipments (id, order_id, user_id, status, carrier, service_level, tracking_number,
       estimated_delivery, address, destination_city, destination_country, lines, next_step_at)
     VALUES ($1, $2, $3, 'scheduled', $4, $5, $6, $7, $8, $9, $10, $11, now() + make_interval(secs => $12))
     ON CONFLICT (order_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      s.id,
      s.orderId,
      s.userId,
      s.carrier,
      s.serviceLevel,
      s.trackingNumber,
      s.estimatedDelivery,
      JSON.stringify(s.address),
      s.address.city,
      s.address.country,
      JSON.stringify(lines),
      s.stepSeconds,
    ],
  );
  return rows[0];
}

const FOR_UPDATE = (options: { forUpdate?: boolean }) => (options.forUpdate ? ' FOR UPDATE' : '');

export async function findShipment(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Shipment | undefined> {
  const { rows } = await db.query<Shipment>(
    `SELECT ${COLUMNS} FROM shipments WHERE id = $1${FOR_UPDATE(options)}`,
    [id],
  );
  return rows[0];
}

export async function findShipmentOfOrder(
  db: Queryable,
  orderId: string,
  options: { forUpdate?: boolean } = {},
): Promise<Shipment | undefined> {
  const { rows } = await db.query<Shipment>(
    `SELECT ${COLUMNS} FROM shipments WHERE order_id = $1${FOR_UPDATE(options)}`,
    [orderId],
  );
  return rows[0];
}

export async function findByTrackingNumber(
  db: Queryable,
  trackingNumber: string,
): Promise<Shipment | undefined> {
  const { rows } = await db.query<Shipment>(`SELECT ${COLUMNS} FROM shipments WHERE tracking_number = $1`, [
    trackingNumber,
  ]);
  return rows[0];
}

/**
 * Moves the shipment from `from` to `to` if it is still in `from`; resolves to the shipment after
 * the change, or undefined when it was not in `from` any more (someone else moved it first).
 * `stepSeconds`: until the simulator's next step (null: none).
 */
export async function moveShipment(
  db: Queryable,
  id: string,
  change: { from: ShipmentStatus; to: ShipmentStatus; reason: string | null; stepSeconds: number | null },
): Promise<Shipment | undefined> {
  const { rows } = await db.query<Shipment>(
    `UPDATE shipments
     SET status = $3, reason = $4, next_step_at = now() + make_interval(secs => $5),
         version = version + 1, updated_at = now()
     WHERE id = $1 AND status = $2
     RETURNING ${COLUMNS}`,
    [id, change.from, change.to, change.reason, change.stepSeconds],
  );
  return rows[0];
}

export interface ShipmentFilter {
  userId?: string | undefined;
  orderId?: string | undefined;
  status?: ShipmentStatus | undefined;
  carrier?: string | undefined;
  after?: ShipmentKey | undefined;
  limit: number;
}

/** Shipments newest first (created_at, id), after the cursor's key. */
export async function listShipments(db: Queryable, filter: ShipmentFilter): Promise<Shipment[]> {
  const { rows } = await db.query<Shipment>(
    `SELECT ${COLUMNS} FROM shipments
     WHERE ($1::uuid IS NULL OR user_id = $1)
       AND ($2::uuid IS NULL OR order_id = $2)
       AND ($3::text IS NULL OR status = $3)
       AND ($4::text IS NULL OR carrier = $4)
       AND ($5::timestamptz IS NULL OR (created_at, id) < ($5, $6::uuid))
     ORDER BY created_at DESC, id DESC
     LIMIT $7`,
    [
      filter.userId ?? null,
      filter.orderId ?? null,
      filter.status ?? null,
      filter.carrier ?? null,
      filter.after?.createdAt ?? null,
      filter.after?.id ?? null,
      filter.limit,
    ],
  );
  return rows;
}

/**
 * The shipment whose simulated step is due longest ago and that no other transaction holds,
 * locked. SKIP LOCKED lets replicas' simulators work side by side; the conditional UPDATE is what
 * makes a step happen once.
 */
export async function lockNextDue(db: Queryable): Promise<Shipment | undefined> {
  const { rows } = await db.query<Shipment>(
    `SELECT ${COLUMNS} FROM shipments
     WHERE next_step_at <= now()
     ORDER BY next_step_at
     LIMIT 1
     FOR UPDATE SKIP LOCKED`,
  );
  return rows[0];
}
