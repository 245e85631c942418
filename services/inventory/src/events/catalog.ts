// The event types the inventory service publishes or consumes.
import {
  EventCatalog,
  inventoryEvents,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  ProductCreatedV1,
  ProductUpdatedV1,
} from '@shopnow/contracts';

export const inventoryCatalog = new EventCatalog([
  ...inventoryEvents,
  OrderPlacedV1,
  OrderConfirmedV1,
  OrderCancelledV1,
  ProductCreatedV1,
  ProductUpdatedV1,
]);
