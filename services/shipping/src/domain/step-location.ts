// Where each step happens, at city level: the label is made, and the carrier collects and
// dispatches, at the warehouse's city; it delivers at the destination's. This is all a tracking page ever shows of a place.
import type { ShipmentStatus } from './shipment-status.ts';

export interface CityLocation {
  city: string;
  country: string;
}

/** The place of arriving in `status`; null when there is none to tell (exception, cancelled). */
export function stepLocation(
  status: ShipmentStatus,
  origin: CityLocation,
  destination: CityLocation,
): CityLocation | null {
  switch (status) {
    case 'scheduled':
    case 'picked_up':
    case 'in_transit':
      return origin;
    case 'out_for_delivery':
    case 'delivered':
      return destination;
    default:
      return null;
  }
}
