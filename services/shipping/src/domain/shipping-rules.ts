// How a confirmed order ships, by small fixed rules (docs/shipping.md):
// - carrier: `parcelpost` within the warehouse's country, `swiftair` abroad;
// - service level: `express` when the order's total reaches the express threshold (the shop's
//   treat for large orders), `standard` otherwise;
// - estimated delivery: business days (Monday to Friday) after the scheduling day, by service level
//   and whether the parcel crosses a border.

export type ServiceLevel = 'standard' | 'express';

export interface ShippingRules {
  /** ISO 3166-1 alpha-2 of the warehouse the parcels leave from. */
  originCountry: string;
  /** Order totals at or above this many minor units ship express. */
  expressThresholdMinor: number;
}

/** Business days to deliver, by reach and service level. */
export const TRANSIT_BUSINESS_DAYS = {
  domestic: { standard: 3, express: 1 },
  international: { standard: 6, express: 3 },
} as const;

export interface ShippingPlan {
  carrier: string;
  serviceLevel: ServiceLevel;
  businessDays: number;
}

export function planShipment(
  rules: ShippingRules,
  order: { country: string; totalMinor: number },
): ShippingPlan {
  const reach = order.country === rules.originCountry ? 'domestic' : 'international';
  const serviceLevel: ServiceLevel = order.totalMinor >= rules.expressThresholdMinor ? 'express' : 'standard';
  return {
    carrier: reach === 'domestic' ? 'parcelpost' : 'swiftair',
    serviceLevel,
    businessDays: TRANSIT_BUSINESS_DAYS[reach][serviceLevel],
  };
}

/** The calendar day (UTC) `days` business days after `from`'s day, as YYYY-MM-DD. */
export function addBusinessDays(from: Date, days: number): string {
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  let left = days;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return day.toISOString().slice(0, 10);
}
