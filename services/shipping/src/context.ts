// What the shipment operations need besides a transaction: where events go, the service's
// settings, and a logger for what must be seen by an operator.
import type { Logger } from '@shopnow/chassis';
import type { Events } from '@shopnow/events';
import type { ShippingRules } from './domain/shipping-rules.ts';
import type { CityLocation } from './domain/step-location.ts';

export interface ShippingSettings {
  rules: ShippingRules;
  /** The warehouse's city and country (SHIP_FROM_CITY, SHIP_FROM_COUNTRY). */
  origin: CityLocation;
  /** Seconds between simulated carrier steps; null: the simulator is off (CARRIER_STEP_SECONDS=0). */
  carrierStepSeconds: number | null;
}

export interface ShippingContext {
  /** Publishes into the outbox, in the caller's transaction. */
  events: Pick<Events, 'publish'>;
  settings: ShippingSettings;
  logger: Logger;
}
