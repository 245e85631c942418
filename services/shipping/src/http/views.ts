// Stored rows → response bodies: the admin's (everything), the customer's (their address and lines,
// no causes: an admin's id is not theirs to see) and the public tracking page's (city level only).
import { encodeShipmentCursor } from '../domain/cursor.ts';
import type { StepRecord } from '../store/history.ts';
import type { Shipment } from '../store/shipments.ts';

export function summaryView(s: Shipment) {
  return {
    id: s.id,
    orderId: s.orderId,
    status: s.status,
    carrier: s.carrier,
    serviceLevel: s.serviceLevel,
    trackingNumber: s.trackingNumber,
    estimatedDelivery: s.estimatedDelivery,
    destination: { city: s.destinationCity, country: s.destinationCountry },
    reason: s.reason,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function customerView(s: Shipment, history: readonly StepRecord[]) {
  return {
    ...summaryView(s),
    address: s.address,
    lines: s.lines,
    history: history.map((h) => ({
      status: h.to,
      at: h.at.toISOString(),
      location: h.location,
      reason: h.reason,
    })),
  };
}

export function adminView(s: Shipment, history: readonly StepRecord[]) {
  return {
    ...summaryView(s),
    userId: s.userId,
    address: s.address,
    lines: s.lines,
    version: s.version,
    nextStepAt: s.nextStepAt?.toISOString() ?? null,
    history: history.map((h) => ({ ...h, at: h.at.toISOString() })),
  };
}

/** The public tracking page: built field by field from what may be shown, nothing else. */
export function trackingView(s: Shipment, history: readonly StepRecord[]) {
  return {
    trackingNumber: s.trackingNumber,
    status: s.status,
    carrier: s.carrier,
    serviceLevel: s.serviceLevel,
    estimatedDelivery: s.estimatedDelivery,
    history: history.map((h) => ({
      status: h.to,
      at: h.at.toISOString(),
      location: h.location === null ? null : { city: h.location.city, country: h.location.country },
    })),
  };
}

/** One page of a newest-first list read with limit + 1 rows. */
export function page(rows: readonly Shipment[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(summaryView),
    nextCursor: rows.length > limit && last !== undefined ? encodeShipmentCursor(last) : null,
  };
}
